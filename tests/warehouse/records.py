"""Hand-made extract records (no extraction involved) for warehouse tests, and a warehouse dump to compare runs."""
from pathlib import Path

from warehouse.db import Warehouse
from warehouse.staging import TABLES


def warehouse_rows(path: str | Path) -> dict:
    """Every row of every table (and the anomalies), minus load times and stage tokens, sorted for comparison."""
    with Warehouse(path).read() as con:
        out = {}
        for t in TABLES:
            # times of this run (registration, staging, loading) differ between equal runs; the content must not
            sql = (f"SELECT * EXCLUDE (loaded_at, staged_at, stage_token, registered_at) FROM {t}" if t == "documents"
                   else f"SELECT * FROM {t}")
            out[t] = sorted(map(repr, con.execute(sql).fetchall()))
        out["anomalies"] = sorted(map(repr, con.execute("SELECT * EXCLUDE (detected_at) FROM anomalies").fetchall()))
        return out


def record(sha: str, unit: str = "青川市财政局", year: int = 2024, income: float = 100.0, sangong=(3.0, 1.0, 1.5, 0.5),
           narrative_income: float | None = None, kind: str = "final_accounts") -> dict:
    total, abroad, vehicle, reception = sangong
    figures = [
        {"metric": "income.total", "value": income, "source": "table", "table": "T01", "page": 5,
         "text": f"本年收入合计 {income}", "bbox": [10.0, 20.0, 30.0, 40.0]},
        {"metric": "income.total", "value": narrative_income if narrative_income is not None else income,
         "source": "narrative", "page": 12, "text": f"本年收入合计{narrative_income or income}万元"},
        {"metric": "sangong.total", "value": total, "source": "table", "table": "T07", "page": 9, "text": str(total)},
    ]
    return {
        "document": {"sha256": sha, "format": "pdf", "pages": 20, "unit_name": unit, "fiscal_year": year,
                     "kind": kind, "scope": "department", "status": "ok", "errors": []},
        "values": {"income.total": income, "income.gpb_appropriation": income, "income.other": 0.0,
                   "expenditure.total": income, "expenditure.basic": income * 0.6, "expenditure.project": income * 0.4,
                   "sangong.total": total, "sangong.abroad": abroad, "sangong.vehicle": vehicle,
                   "sangong.reception": reception, "staff.actual": 20, "sangong.reception_batches": 4},
        "figures": figures,
        "line_items": [{"table": "T05", "code": "2010101", "name": "行政运行", "column": "total", "value": income,
                        "page": 8}],
        "tables": [{"table": "T01", "title": "收入支出决算总表", "pages": [5], "unit_as_printed": "万元", "rows": 30}],
        "claims": [{"claim_type": "yoy", "metric": "income.total", "subject": "本年收入合计", "page": 12,
                    "text": "比上年增加10万元，增长11.11%", "amount": income, "reference_amount": income - 10,
                    "stated_change": 10.0, "stated_pct": 11.11}],
    }
