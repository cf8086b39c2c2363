'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_ROOT = path.dirname(require.resolve('@acme-retail/pricing-protos/package.json'));
const PRICING_ADDR = process.env.PRICING_GRPC_ADDR || 'pricing.internal:50051';
const DEADLINE_MS = Number(process.env.PRICING_DEADLINE_MS || 1500);

const packageDefinition = protoLoader.loadSync('acme/pricing/v1/pricing.proto', {
  includeDirs: [PROTO_ROOT],
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

const { acme } = grpc.loadPackageDefinition(packageDefinition);
const client = new acme.pricing.v1.PricingService(PRICING_ADDR, grpc.credentials.createInsecure());

function deadline() {
  return { deadline: Date.now() + DEADLINE_MS };
}

function getPrice(sku, region) {
  return new Promise((resolve, reject) => {
    client.GetPrice({ sku, region }, deadline(), (err, res) => (err ? reject(err) : resolve(res)));
  });
}

function getPrices(skus, region) {
  return new Promise((resolve, reject) => {
    client.GetPriceBatch({ skus, region }, deadline(), (err, res) => (err ? reject(err) : resolve(res.prices)));
  });
}

module.exports = { getPrice, getPrices };
