// HTTP clients written the old ways: AngularJS `$http(config)` and the `request` package.
const request = require('request');

const catalogueHost = process.env.CATALOGUE_HOST || 'catalogue';

function getProduct(sku) {
  return new Promise((resolve) => {
    request('http://' + catalogueHost + ':8080/product/' + sku, (err, res, body) => { // expect: consumes sym:@#getProduct -> http:GET /product/{}
      resolve(JSON.parse(body));
    });
  });
}

function saveRating(sku, score) {
  request({ uri: 'http://ratings/api/rate/' + sku + '/' + score, method: 'PUT' }); // expect: consumes sym:@#saveRating -> http:PUT /api/rate/{}/{}
}

function loadCategories($scope, $http) {
  $http({ // expect: consumes sym:@#loadCategories -> http:GET /api/catalogue/categories
    url: '/api/catalogue/categories',
    method: 'GET',
  }).then((res) => {
    $scope.categories = res.data;
  });
  $http({ url: '/api/user/login', method: 'POST', data: {} }); // expect: consumes sym:@#loadCategories -> http:POST /api/user/login
}
