'use strict';

class OrdersRepository {
  constructor() {
    this.state = new Map();
  }

  async markAuthorized(orderId, authCode) {
    this.state.set(orderId, { status: 'authorized', authCode });
  }

  async markCaptured(orderId, capturedMinor) {
    const prev = this.state.get(orderId) || {};
    this.state.set(orderId, { ...prev, status: 'captured', capturedMinor });
  }
}

module.exports = { OrdersRepository };
