from __future__ import annotations

import json

import psycopg


class StatementStore:
    def __init__(self, dsn: str):
        self._conn = psycopg.connect(dsn, autocommit=True)

    def append_line(self, account_id: str, line: dict) -> None:
        with self._conn.cursor() as cur:
            cur.execute(
                "INSERT INTO statement_lines (account_id, entry_id, line) VALUES (%s, %s, %s) "
                "ON CONFLICT (entry_id) DO NOTHING",
                (account_id, line["entryId"], json.dumps(line)),
            )
