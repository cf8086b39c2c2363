using RabbitMQ.Client;

public class AccountEventsWorker
{
    private const string Exchange = "accounts.events";
    private const string Queue = "crm-sync.accounts";

    public void Start(IModel channel)
    {
        channel.QueueDeclare(Queue, durable: true, exclusive: false, autoDelete: false);
        channel.QueueBind(Queue, Exchange, routingKey: "user.deactivated"); // expect: subscribes sym:@#AccountEventsWorker.Start -> topic:user.deactivated
        channel.QueueBind(Queue, Exchange, "user.signed_up"); // expect: subscribes sym:@#AccountEventsWorker.Start -> topic:user.signed_up
    }
}
