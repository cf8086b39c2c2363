'use strict';

const { randomUUID } = require('node:crypto');
const { createPaymentsClient } = require('./paymentsClient');

const DEADLINE_MS = 3000;

class CheckoutService {
  constructor({ orders, payments = createPaymentsClient(), logger = console }) {
    this.orders = orders;
    this.payments = payments;
    this.logger = logger;
  }

  authorize(request) {
    return new Promise((resolve, reject) => {
      this.payments.AuthorizePayment(request, { deadline: Date.now() + DEADLINE_MS }, (err, res) =>
        err ? reject(err) : resolve(res),
      );
    });
  }

  capture(request) {
    return new Promise((resolve, reject) => {
      this.payments.CapturePayment(request, { deadline: Date.now() + DEADLINE_MS }, (err, res) =>
        err ? reject(err) : resolve(res),
      );
    });
  }

  async placeOrder(order, cardToken) {
    const res = await this.authorize({
      order_id: order.id,
      amount: { currency_code: order.currency, amount_minor: String(order.totalMinor) },
      card_token: cardToken,
      idempotency_key: randomUUID(),
    });

    if (res.status === 'PAYMENT_STATUS_DECLINED') {
      this.logger.warn(`payment declined for order ${order.id}: ${res.decline_reason}`);
      return { ok: false, reason: res.decline_reason };
    }

    const authCode = res.authorizationCode;
    await this.orders.markAuthorized(order.id, authCode);
    this.logger.info(`order ${order.id} authorized`);

    return { ok: true, paymentId: res.payment_id };
  }

  async shipOrder(order, paymentId) {
    const res = await this.capture({
      payment_id: paymentId,
      amount: { currency_code: order.currency, amount_minor: String(order.totalMinor) },
    });
    const capturedMinor = Number(res.captured.amount_minor);
    if (capturedMinor !== order.totalMinor) {
      this.logger.warn(`partial capture on ${order.id}: ${capturedMinor}/${order.totalMinor}`);
    }
    await this.orders.markCaptured(order.id, capturedMinor);
  }
}

module.exports = { CheckoutService };
