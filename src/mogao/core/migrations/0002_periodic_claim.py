"""Claims of periodic task runs (#19): one row per task name and period, so one scheduler fires it.

A plain table like the catalogue generation (no model: nothing to administer, translate or export);
written only by :mod:`mogao.core.periodic`, whose INSERT fails for every scheduler but the first.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0001_catalogue_generation")]

    operations = [
        migrations.RunSQL(
            sql=[
                "CREATE TABLE mogao_periodic_claim (name varchar(100) NOT NULL, period bigint NOT NULL, "
                "claimed_at double precision NOT NULL, PRIMARY KEY (name, period))",
            ],
            reverse_sql=["DROP TABLE mogao_periodic_claim"],
        ),
    ]
