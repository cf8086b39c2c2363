'use strict';

const express = require('express');
const grpc = require('@grpc/grpc-js');
const pricing = require('./pricingClient');

const app = express();

function formatMoney(money) {
  if (!money) return null;
  const minor = Number(money.units) * 100 + Math.round(money.nanos / 10_000_000);
  return { currency: money.currencyCode, amount: (minor / 100).toFixed(2) };
}

function toView(price) {
  return {
    sku: price.sku,
    list: formatMoney(price.listPrice),
    sale: price.salePrice ? formatMoney(price.salePrice) : null,
  };
}

app.get('/quotes/prices/:sku', async (req, res, next) => {
  try {
    const price = await pricing.getPrice(req.params.sku, req.query.region || 'eu');
    res.json(toView(price));
  } catch (err) {
    if (err.code === grpc.status.NOT_FOUND) return res.status(404).json({ error: err.details });
    next(err);
  }
});

app.get('/quotes/prices', async (req, res, next) => {
  try {
    const skus = String(req.query.skus || '').split(',').filter(Boolean);
    const prices = await pricing.getPrices(skus, req.query.region || 'eu');
    res.json({ prices: prices.map(toView) });
  } catch (err) {
    next(err);
  }
});

const port = Number(process.env.PORT || 8080);
app.listen(port, () => console.log(`quote-api listening on :${port}`));
