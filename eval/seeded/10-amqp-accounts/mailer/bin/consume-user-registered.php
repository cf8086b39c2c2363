<?php

declare(strict_types=1);

require __DIR__ . '/../vendor/autoload.php';

use GuzzleHttp\Client;
use Mailer\Consumer\UserRegisteredConsumer;
use Mailer\Mail\WelcomeMailer;
use PhpAmqpLib\Connection\AMQPStreamConnection;

$connection = new AMQPStreamConnection(
    getenv('AMQP_HOST') ?: 'rabbitmq',
    (int) (getenv('AMQP_PORT') ?: 5672),
    getenv('AMQP_USER') ?: 'guest',
    getenv('AMQP_PASSWORD') ?: 'guest',
);

$mailgun = new Client([
    'base_uri' => 'https://api.eu.mailgun.net',
    'auth' => ['api', getenv('MAILGUN_API_KEY')],
    'timeout' => 10,
]);

(new UserRegisteredConsumer($connection, new WelcomeMailer($mailgun, getenv('MAILGUN_DOMAIN') ?: 'mg.parcelbox.example')))->run();
