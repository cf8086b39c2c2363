// Typed event bus (eShop style): the event type names the topic on both sides.
namespace Ordering;

public record OrderStartedIntegrationEvent(string UserId, int OrderId) : IntegrationEvent;

public class OrderStartedIntegrationEventHandler : IIntegrationEventHandler<OrderStartedIntegrationEvent>
{
    // A typed event handler subscribes to the topic named by its event type.
    public async Task Handle(OrderStartedIntegrationEvent @event) // expect: role=decode ;; subscribes sym:@#OrderStartedIntegrationEventHandler -> topic:OrderStartedIntegrationEvent
    {
        await _repository.DeleteBasketAsync(@event.UserId); // expect: reads_field sym:@#OrderStartedIntegrationEventHandler.Handle -> flow:T|cs:Ordering|OrderStartedIntegrationEvent
    }
}

public class OrderingService
{
    private readonly IEventBus _eventBus;

    public async Task Start(string user, int id)
    {
        var evt = new OrderStartedIntegrationEvent(user, id);
        await _eventBus.PublishAsync(evt); // expect: publishes sym:@#OrderingService.Start -> topic:OrderStartedIntegrationEvent ;; boundary=topic|OrderStartedIntegrationEvent, role=encode
    }
}
