"""Feeds: the home feed's index of each member's listed records, newest first."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0005_feeds_wants_collaborators'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='record',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True), ('live_version__isnull', False), ('visibility', 'published')), fields=['author', '-published_at', '-id'], name='records_feeds_author_idx'),
        ),
    ]
