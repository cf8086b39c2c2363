<?php

declare(strict_types=1);

namespace Acme\Portal;

use GuzzleHttp\Client;

final class TaxClient
{
    public function __construct(
        private readonly Client $http = new Client(['base_uri' => 'http://tax-service:8080', 'timeout' => 2.0]),
    ) {
    }

    public function vatLabel(string $region): string
    {
        $response = $this->http->get('/v1/tax/rates/' . rawurlencode($region));
        $rate = json_decode((string) $response->getBody(), true, 512, JSON_THROW_ON_ERROR);

        $percent = $rate['rate_bps'] / 100;

        return $rate['inclusive'] ? sprintf('incl. %s%% VAT', $percent) : sprintf('plus %s%% sales tax', $percent);
    }
}
