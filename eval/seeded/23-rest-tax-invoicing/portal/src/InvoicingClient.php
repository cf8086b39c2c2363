<?php

declare(strict_types=1);

namespace Acme\Portal;

use GuzzleHttp\Client;

final class InvoicingClient
{
    private Client $http;

    public function __construct(?string $baseUri = null)
    {
        $this->http = new Client([
            'base_uri' => $baseUri ?? (getenv('INVOICING_URL') ?: 'http://invoicing:8080'),
            'timeout' => 5.0,
            'headers' => ['Accept' => 'application/json'],
        ]);
    }

    /** @return array<string, mixed> */
    public function invoice(string $id): array
    {
        $response = $this->http->get("/api/invoices/{$id}");

        return json_decode((string) $response->getBody(), true, 512, JSON_THROW_ON_ERROR);
    }

    /** @return list<array<string, mixed>> */
    public function payments(string $invoiceId): array
    {
        $response = $this->http->get("/api/invoices/{$invoiceId}/payments");

        return json_decode((string) $response->getBody(), true, 512, JSON_THROW_ON_ERROR);
    }
}
