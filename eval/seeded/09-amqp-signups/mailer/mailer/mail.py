import os
import smtplib
from email.message import EmailMessage

from jinja2 import Environment, PackageLoader, select_autoescape

env = Environment(loader=PackageLoader("mailer"), autoescape=select_autoescape())

SMTP_HOST = os.environ.get("SMTP_HOST", "smtp")


def send_template(to: str, template: str, subject: str, context: dict) -> None:
    msg = EmailMessage()
    msg["From"] = "Acme <hello@acme.example>"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(env.get_template(f"{template}.txt").render(**context))
    msg.add_alternative(env.get_template(f"{template}.html").render(**context), subtype="html")
    with smtplib.SMTP(SMTP_HOST) as smtp:
        smtp.send_message(msg)
