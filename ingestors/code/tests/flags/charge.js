const { OpenFeature } = require('@openfeature/server-sdk');
const LaunchDarkly = require('@launchdarkly/node-server-sdk');

async function charge(request, ld) {
  const failure = await OpenFeature.getClient().getNumberValue("paymentFailure", 0); // flag: paymentFailure
  const beta = await ld.variation('beta-checkout', { key: request.user }, false); // flag: beta-checkout
  const headers = new Map();
  headers.get('paymentFailure');
  return failure + beta;
}

module.exports = { charge };
