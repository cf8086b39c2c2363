from fastapi import FastAPI, HTTPException

from bff import catalog, partner_shop

app = FastAPI(title="mobile-bff")


@app.get("/m/products/{product_id}")
async def product(product_id: str):
    detail = await catalog.product_detail(product_id)
    if detail is None:
        raise HTTPException(status_code=404)
    return detail


@app.get("/m/outlet")
async def outlet():
    return {"items": await partner_shop.outlet_products()}
