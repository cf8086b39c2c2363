from __future__ import annotations

import os

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from site_registry.schemas import Site

engine = create_engine(os.getenv("DATABASE_URL", "postgresql+psycopg://sites@localhost/sites"))
app = FastAPI(title="site-registry")

SITE_SQL = """
SELECT s.site_id, s.name, s.customer, s.country, s.timezone, s.decommissioned_at,
       (SELECT count(*) FROM sensors WHERE sensors.site_id = s.site_id) AS sensor_count
  FROM sites s
"""


def db():
    with engine.connect() as conn:
        yield conn


@app.get("/sites", response_model=list[Site])
def list_sites(customer: str | None = None, conn: Connection = Depends(db)):
    sql = SITE_SQL + (" WHERE s.customer = :customer" if customer else "") + " ORDER BY s.site_id"
    return [Site(**row._mapping) for row in conn.execute(text(sql), {"customer": customer})]


@app.get("/sites/{site_id}", response_model=Site)
def get_site(site_id: str, conn: Connection = Depends(db)):
    row = conn.execute(text(SITE_SQL + " WHERE s.site_id = :site_id"), {"site_id": site_id}).first()
    if row is None:
        raise HTTPException(status_code=404, detail="unknown site")
    return Site(**row._mapping)
