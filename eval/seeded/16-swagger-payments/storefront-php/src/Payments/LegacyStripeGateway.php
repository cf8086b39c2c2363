<?php

declare(strict_types=1);

namespace Ferngrove\Storefront\Payments;

use GuzzleHttp\Client;

/**
 * Orders placed before the payments service migration still hold Stripe PaymentIntents
 * that were only authorised; they are captured directly against Stripe.
 */
final class LegacyStripeGateway
{
    private Client $stripe;

    public function __construct(string $secretKey)
    {
        $this->stripe = new Client([
            'base_uri' => 'https://api.stripe.com',
            'auth' => [$secretKey, ''],
            'timeout' => 10.0,
        ]);
    }

    public function capture(string $paymentIntentId): string
    {
        $response = $this->stripe->post("/v1/payment_intents/{$paymentIntentId}/capture");
        $intent = json_decode((string) $response->getBody(), true, 512, JSON_THROW_ON_ERROR);

        return $intent['status'];
    }
}
