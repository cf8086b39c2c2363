<?php

declare(strict_types=1);

namespace Ferngrove\Storefront\Checkout;

use Ferngrove\Storefront\Payments\LegacyStripeGateway;
use Ferngrove\Storefront\Payments\PaymentsClient;
use Psr\Log\LoggerInterface;

final class PlaceOrder
{
    public function __construct(
        private readonly PaymentsClient $payments,
        private readonly LegacyStripeGateway $stripe,
        private readonly LoggerInterface $logger,
    ) {
    }

    /** @return array{paid: bool, receipt: array<string, mixed>} */
    public function pay(array $order, string $cardToken): array
    {
        $payment = $this->payments->charge($order['id'], $order['total_cents'], $order['currency'], $cardToken);

        if ($payment['status'] === 'PENDING') {
            $payment = $this->payments->capture($payment['paymentId']);
        }
        if ($payment['status'] !== 'CAPTURED') {
            $this->logger->warning('payment failed', ['order' => $order['id'], 'reason' => $payment['failureReason'] ?? null]);
            return ['paid' => false, 'receipt' => []];
        }

        $paidAt = new \DateTimeImmutable($payment['captured_at']);

        return [
            'paid' => true,
            'receipt' => [
                'reference' => $payment['paymentId'],
                'amount' => $payment['amount'] / 100,
                'currency' => $payment['currency'],
                'paid_at' => $paidAt->format(\DATE_ATOM),
            ],
        ];
    }

    public function captureLegacy(array $order): bool
    {
        return $this->stripe->capture($order['stripe_payment_intent']) === 'succeeded';
    }
}
