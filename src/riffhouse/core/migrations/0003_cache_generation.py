import secrets

from django.db import migrations, models
from django.utils import timezone


def create_generations(apps, schema_editor):
    CacheGeneration = apps.get_model("core", "CacheGeneration")
    now = timezone.now()
    for name in ("public", "trending"):
        # A random start: never a number a page of an older database may be cached under.
        CacheGeneration.objects.get_or_create(
            name=name, defaults={"number": secrets.randbits(52), "changed_at": now}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_periodic_runs"),
    ]

    operations = [
        migrations.CreateModel(
            name="CacheGeneration",
            fields=[
                ("name", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("number", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(create_generations, migrations.RunPython.noop),
    ]
