<?php

use Psr\Http\Message\ResponseInterface as Response;
use Psr\Http\Message\ServerRequestInterface as Request;

// Top-level functions and a Slim route closure; curl with json_decode objects.
function fetchRate(string $currency)
{
    $ch = curl_init('http://currency/rates/' . $currency);
    $raw = curl_exec($ch);
    $rate = json_decode($raw);
    return $rate->value; // expect: flow:B|http|GET /rates/{} ;; {access=member, name=value
}

return function ($app) {
    $app->post('/quote', function (Request $request, Response $response) {
        $body = $request->getParsedBody(); // expect-not: flow:T
        $n = intval($body['numberOfItems']);
        $response->getBody()->write(json_encode(['cost' => $n * 8.99]));
        return $response;
    });
};
