'use strict';

const express = require('express');
const { CheckoutService } = require('./checkout');
const { OrdersRepository } = require('./ordersRepository');

const app = express();
app.use(express.json());

const checkout = new CheckoutService({ orders: new OrdersRepository() });

app.post('/checkout', async (req, res, next) => {
  try {
    const { order, cardToken } = req.body;
    const result = await checkout.placeOrder(order, cardToken);
    res.status(result.ok ? 201 : 402).json(result);
  } catch (err) {
    next(err);
  }
});

app.listen(Number(process.env.PORT || 3000));
