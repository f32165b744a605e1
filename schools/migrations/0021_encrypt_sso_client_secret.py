"""The boards' OpenID Connect client secrets, encrypted at rest (core/encryption.py)."""

from django.db import migrations, models


def encrypt_secrets(apps, schema_editor) -> None:
    from core.encryption import encrypt

    model = apps.get_model("schools", "SingleSignOn")
    for sso in model.objects.exclude(client_secret=""):
        sso.client_secret_encrypted = encrypt(sso.client_secret)
        sso.save(update_fields=["client_secret_encrypted"])


def decrypt_secrets(apps, schema_editor) -> None:
    from core.encryption import decrypt

    model = apps.get_model("schools", "SingleSignOn")
    for sso in model.objects.exclude(client_secret_encrypted=""):
        sso.client_secret = decrypt(sso.client_secret_encrypted)
        sso.save(update_fields=["client_secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0020_multi_school_norm_limit"),
    ]

    operations = [
        migrations.AddField(
            model_name="singlesignon",
            name="client_secret_encrypted",
            field=models.TextField(
                default="", editable=False, verbose_name="client secret (encrypted)"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="singlesignon",
            name="client_secret",
            field=models.CharField(
                blank=True, default="", max_length=500, verbose_name="client secret"
            ),
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
        migrations.RemoveField(model_name="singlesignon", name="client_secret"),
    ]
