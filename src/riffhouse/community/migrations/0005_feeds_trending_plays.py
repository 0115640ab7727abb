"""Feeds: trending scores, plays per record and day, and the recent-range indexes trending reads."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('community', '0004_follows_hearts_comments_preferences'),
        ('productions', '0002_production_show_version'),
        ('records', '0006_feeds_author_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RecordPlayDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('plays', models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='RecordTrend',
            fields=[
                ('record', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='trend', serialize=False, to='records.record')),
                ('score', models.FloatField()),
                ('computed_at', models.DateTimeField()),
            ],
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['created_at'], name='community_comment_recent_idx'),
        ),
        migrations.AddIndex(
            model_name='heart',
            index=models.Index(fields=['created_at'], name='community_heart_recent_idx'),
        ),
        migrations.AddField(
            model_name='recordplayday',
            name='record',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='records.record'),
        ),
        migrations.AddIndex(
            model_name='recordtrend',
            index=models.Index(fields=['-score', '-record'], name='community_trend_score_idx'),
        ),
        migrations.AddIndex(
            model_name='recordplayday',
            index=models.Index(fields=['day', 'record'], name='community_playday_day_idx'),
        ),
        migrations.AddConstraint(
            model_name='recordplayday',
            constraint=models.UniqueConstraint(fields=('record', 'day'), name='community_playday_unique'),
        ),
    ]
