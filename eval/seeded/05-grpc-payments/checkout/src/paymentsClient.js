'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_ROOT = path.join(__dirname, '..', 'protos');

const packageDefinition = protoLoader.loadSync('acme/payments/v1/payments.proto', {
  includeDirs: [PROTO_ROOT],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

const { acme } = grpc.loadPackageDefinition(packageDefinition);

function createPaymentsClient(target = process.env.PAYMENTS_GRPC_TARGET || 'payments:50051') {
  return new acme.payments.v1.PaymentService(target, grpc.credentials.createInsecure());
}

module.exports = { createPaymentsClient };
