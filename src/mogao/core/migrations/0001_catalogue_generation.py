"""The catalogue generation: one row in a plain table (no model: nothing to administer or translate).

Written only by :mod:`mogao.core.generation` with ``UPDATE ... SET value = value + 1``.
"""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.RunSQL(
            sql=[
                "CREATE TABLE mogao_catalogue_generation (id integer NOT NULL PRIMARY KEY, value bigint NOT NULL)",
                "INSERT INTO mogao_catalogue_generation (id, value) VALUES (1, 1)",
            ],
            reverse_sql=["DROP TABLE mogao_catalogue_generation"],
        ),
    ]
