"""Feeds: a record's author may ask for collaborators; the "Needs collaborators" list's index."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0004_cover_record_cover'),
    ]

    operations = [
        migrations.AddField(
            model_name='record',
            name='wants_collaborators',
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name='record',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True), ('live_version__isnull', False), ('visibility', 'published'), ('wants_collaborators', True)), fields=['-published_at', '-id'], name='records_collab_feed_idx'),
        ),
    ]
