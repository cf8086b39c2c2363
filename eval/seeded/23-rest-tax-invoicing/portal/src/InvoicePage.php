<?php

declare(strict_types=1);

namespace Acme\Portal;

final class InvoicePage
{
    public function __construct(
        private readonly InvoicingClient $invoicing,
        private readonly FxRates $fx,
    ) {
    }

    /** @return array<string, mixed> */
    public function view(string $invoiceId, string $displayCurrency): array
    {
        $invoice = $this->invoicing->invoice($invoiceId);
        $issued = new \DateTimeImmutable($invoice['issued_at']);

        $fx = $this->fx->rate($invoice['currency'], $displayCurrency);
        $customer = $invoice['customerId'];

        $paid = 0.0;
        foreach ($this->invoicing->payments($invoiceId) as $payment) {
            $paid += (float) $payment['amount'];
        }

        return [
            'number' => $invoice['number'],
            'customer' => $customer,
            'issuedOn' => $issued->format('d.m.Y'),
            'total' => number_format($invoice['total'] * $fx, 2),
            'outstanding' => number_format(($invoice['total'] - $paid) * $fx, 2),
            'currency' => $displayCurrency,
        ];
    }
}
