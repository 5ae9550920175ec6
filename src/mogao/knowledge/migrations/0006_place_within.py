from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('knowledge', '0005_alter_authoritylink_options'),
    ]

    operations = [
        migrations.AddField(
            model_name='place',
            name='within',
            field=models.ForeignKey(blank=True, help_text='The larger place this one lies in (the Library Cave within Dunhuang).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='contains', to='knowledge.place', verbose_name='within'),
        ),
    ]
