using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ParcelBox.CrmSync;

public sealed class UserEventsWorker(IConfiguration config, HubSpotClient hubSpot, ILogger<UserEventsWorker> log)
    : BackgroundService
{
    private const string Exchange = "accounts.events";
    private const string Queue = "crm-sync.users";

    private static readonly JsonSerializerOptions SnakeCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private IConnection? _connection;
    private IModel? _channel;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(config["Amqp:Url"] ?? "amqp://guest:guest@rabbitmq:5672"),
            DispatchConsumersAsync = true,
        };
        _connection = factory.CreateConnection("crm-sync");
        _channel = _connection.CreateModel();
        _channel.ExchangeDeclare(Exchange, ExchangeType.Topic, durable: true);
        _channel.QueueDeclare(Queue, durable: true, exclusive: false, autoDelete: false);
        _channel.QueueBind(Queue, Exchange, "user.registered");
        _channel.QueueBind(Queue, Exchange, "user.deleted");
        _channel.BasicQos(0, 20, false);

        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.Received += async (_, ea) =>
        {
            try
            {
                switch (ea.RoutingKey)
                {
                    case "user.registered":
                        var registered = JsonSerializer.Deserialize<UserRegistered>(ea.Body.Span)!;
                        await hubSpot.UpsertContactAsync(registered, stoppingToken);
                        break;
                    case "user.deleted":
                        var deleted = JsonSerializer.Deserialize<UserDeleted>(ea.Body.Span, SnakeCase)!;
                        await hubSpot.ArchiveContactAsync(deleted.UserId, stoppingToken);
                        break;
                }
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

    public override void Dispose()
    {
        _channel?.Dispose();
        _connection?.Dispose();
        base.Dispose();
    }
}
