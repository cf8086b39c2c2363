from flask import Flask, render_template_string, request

from support_portal.backends import customer_card, find_by_email

app = Flask(__name__)

CARD = """
<h1>{{ c.display_name }}</h1>
<p>{{ c.email }} · {{ c.phone }} · member since {{ c.member_since }}</p>
<p>{{ c.tier }} tier, {{ c.points }} points{% if c.points_expire_on %} (expire {{ c.points_expire_on }}){% endif %}</p>
"""


@app.get("/customers/<customer_id>")
def card(customer_id: str):
    return render_template_string(CARD, c=customer_card(customer_id))


@app.get("/customers")
def search():
    return {"results": find_by_email(request.args.get("email", ""))}
