using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Acme.CrmSync;

public sealed class AccountEventsWorker(IConnectionFactory factory, ICrmClient crm, ILogger<AccountEventsWorker> log)
    : BackgroundService
{
    private const string Exchange = "accounts.events";
    private const string Queue = "crm-sync.accounts";

    private IConnection? _connection;
    private IModel? _channel;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _connection = factory.CreateConnection("crm-sync");
        _channel = _connection.CreateModel();
        _channel.ExchangeDeclare(Exchange, ExchangeType.Topic, durable: true);
        _channel.QueueDeclare(Queue, durable: true, exclusive: false, autoDelete: false);
        _channel.QueueBind(Queue, Exchange, routingKey: "user.signed_up");
        _channel.QueueBind(Queue, Exchange, routingKey: "user.email_changed");
        _channel.QueueBind(Queue, Exchange, routingKey: "user.deactivated");
        _channel.BasicQos(prefetchSize: 0, prefetchCount: 20, global: false);

        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.Received += async (_, ea) =>
        {
            try
            {
                await HandleAsync(ea.RoutingKey, ea.Body, stoppingToken);
                _channel.BasicAck(ea.DeliveryTag, multiple: false);
            }
            catch (Exception ex)
            {
                log.LogError(ex, "failed to sync {RoutingKey}", ea.RoutingKey);
                _channel.BasicNack(ea.DeliveryTag, multiple: false, requeue: false);
            }
        };
        _channel.BasicConsume(Queue, autoAck: false, consumer);
        return Task.CompletedTask;
    }

    private async Task HandleAsync(string routingKey, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        switch (routingKey)
        {
            case "user.signed_up":
                var signup = JsonSerializer.Deserialize<UserSignedUp>(body.Span)!;
                await crm.UpsertContactAsync(signup.UserId, signup.Email, signup.DisplayName, signup.Plan, ct);
                break;
            case "user.email_changed":
                var changed = JsonSerializer.Deserialize<EmailChanged>(body.Span)!;
                await crm.UpdateEmailAsync(changed.UserId, changed.Email, ct);
                break;
            case "user.deactivated":
                var gone = JsonSerializer.Deserialize<UserDeactivated>(body.Span)!;
                await crm.ArchiveContactAsync(gone.UserId, ct);
                break;
            default:
                log.LogWarning("ignoring {RoutingKey}", routingKey);
                break;
        }
    }

    public override void Dispose()
    {
        _channel?.Close();
        _connection?.Close();
        base.Dispose();
    }
}
