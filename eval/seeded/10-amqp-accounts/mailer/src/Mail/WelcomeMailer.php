<?php

declare(strict_types=1);

namespace Mailer\Mail;

use GuzzleHttp\ClientInterface;

final class WelcomeMailer
{
    public function __construct(
        private readonly ClientInterface $mailgun,
        private readonly string $domain,
        private readonly string $from = 'ParcelBox <hello@parcelbox.example>',
    ) {
    }

    public function sendWelcome(string $email, string $displayName, string $plan, string $locale): void
    {
        $this->mailgun->request('POST', "/v3/{$this->domain}/messages", [
            'form_params' => [
                'from' => $this->from,
                'to' => $email,
                'template' => "welcome-{$locale}",
                'h:X-Mailgun-Variables' => json_encode([
                    'displayName' => $displayName,
                    'planName' => ucfirst($plan),
                ], JSON_THROW_ON_ERROR),
            ],
        ]);
    }
}
