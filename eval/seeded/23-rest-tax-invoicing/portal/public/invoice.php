<?php

declare(strict_types=1);

require __DIR__ . '/../vendor/autoload.php';

use Acme\Portal\FxRates;
use Acme\Portal\InvoicePage;
use Acme\Portal\InvoicingClient;

$page = new InvoicePage(new InvoicingClient(), new FxRates());
$view = $page->view((string) ($_GET['id'] ?? ''), (string) ($_GET['currency'] ?? 'EUR'));

header('Content-Type: application/json');
echo json_encode($view, JSON_THROW_ON_ERROR);
