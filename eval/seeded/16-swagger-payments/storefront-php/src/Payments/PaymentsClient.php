<?php

declare(strict_types=1);

namespace Ferngrove\Storefront\Payments;

use GuzzleHttp\Client;
use GuzzleHttp\ClientInterface;

final class PaymentsClient
{
    private ClientInterface $http;

    public function __construct(?ClientInterface $http = null)
    {
        $this->http = $http ?? new Client([
            'base_uri' => getenv('PAYMENTS_URL') ?: 'http://payments.internal',
            'timeout' => 8.0,
            'headers' => ['Accept' => 'application/json'],
        ]);
    }

    public function charge(string $orderId, int $amount, string $currency, string $token): array
    {
        return $this->send('POST', '/api/payments', [
            'orderId' => $orderId,
            'amount' => $amount,
            'currency' => $currency,
            'paymentMethodToken' => $token,
        ]);
    }

    public function find(string $paymentId): array
    {
        return $this->send('GET', '/api/payments/' . rawurlencode($paymentId));
    }

    public function capture(string $paymentId): array
    {
        return $this->send('POST', '/api/payments/' . rawurlencode($paymentId) . '/capture');
    }

    public function refund(string $paymentId, int $amount, string $reason): array
    {
        return $this->send('POST', '/api/payments/' . rawurlencode($paymentId) . '/refunds', [
            'amount' => $amount,
            'reason' => $reason,
        ]);
    }

    private function send(string $method, string $path, ?array $json = null): array
    {
        $options = ['http_errors' => false];
        if ($json !== null) {
            $options['json'] = $json;
        }
        $response = $this->http->request($method, $path, $options);

        return json_decode((string) $response->getBody(), true, 512, JSON_THROW_ON_ERROR);
    }
}
