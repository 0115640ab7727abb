"""Records whose newest version was still processing (or had failed) carried that version's
title and description while others saw the live one; from now on the record's copy is always
the live version's (see services._show_live_fields)."""

from django.db import migrations
from django.db.models import F, OuterRef, Q, Subquery


def forwards(apps, schema_editor):
    Record = apps.get_model("records", "Record")
    RecordVersion = apps.get_model("records", "RecordVersion")
    live = RecordVersion.objects.filter(pk=OuterRef("live_version_id"))
    Record.objects.filter(live_version__isnull=False).exclude(
        Q(title=F("live_version__title")) & Q(description=F("live_version__description"))
    ).update(
        title=Subquery(live.values("title")[:1]),
        description=Subquery(live.values("description")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("records", "0002_record_remix_count")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
