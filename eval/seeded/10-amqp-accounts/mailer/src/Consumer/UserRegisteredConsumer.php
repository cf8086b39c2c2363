<?php

declare(strict_types=1);

namespace Mailer\Consumer;

use Mailer\Mail\WelcomeMailer;
use PhpAmqpLib\Connection\AMQPStreamConnection;
use PhpAmqpLib\Message\AMQPMessage;

final class UserRegisteredConsumer
{
    private const EXCHANGE = 'accounts.events';
    private const QUEUE = 'mailer.user-registered';
    private const BINDING = 'user.registered';

    public function __construct(
        private readonly AMQPStreamConnection $connection,
        private readonly WelcomeMailer $mailer,
    ) {
    }

    public function run(): void
    {
        $channel = $this->connection->channel();
        $channel->exchange_declare(self::EXCHANGE, 'topic', false, true, false);
        $channel->queue_declare(self::QUEUE, false, true, false, false);
        $channel->queue_bind(self::QUEUE, self::EXCHANGE, self::BINDING);
        $channel->basic_qos(0, 10, false);
        $channel->basic_consume(self::QUEUE, 'mailer', false, false, false, false, [$this, 'handle']);

        while ($channel->is_consuming()) {
            $channel->wait();
        }
    }

    public function handle(AMQPMessage $message): void
    {
        $payload = json_decode($message->getBody(), true, 512, JSON_THROW_ON_ERROR);

        $this->mailer->sendWelcome(
            email: $payload['email'],
            displayName: $payload['display_name'],
            plan: $payload['plan'],
            locale: $payload['locale'] ?? 'en',
        );
        $message->ack();
    }
}
