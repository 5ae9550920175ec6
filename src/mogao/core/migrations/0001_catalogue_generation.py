from django.db import migrations, models


def first_row(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("core", "CatalogueGeneration").objects.get_or_create(pk=1, defaults={"value": 1})


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="CatalogueGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=1)),
            ],
            options={"verbose_name": "catalogue generation"},
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
