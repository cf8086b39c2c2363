import http from 'k6/http';

const FLAGD = __ENV.FLAGD_HOST || 'flagd';

function flagValue(flagName) {
  const res = http.post(`http://${FLAGD}:8016/ofrep/v1/evaluate/flags/${flagName}`, '{}');
  return JSON.parse(res.body).value || 0;
}

export default function () {
  if (flagValue('loadGeneratorTraffic') <= 0) { // flag: loadGeneratorTraffic
    return;
  }
  const flood = flagValue('loadGeneratorFloodHomepage'); // flag: loadGeneratorFloodHomepage
  http.post(`http://${FLAGD}:8016/ofrep/v1/evaluate/flags/fixedFlag`, '{}'); // flag: fixedFlag
  return flood;
}
