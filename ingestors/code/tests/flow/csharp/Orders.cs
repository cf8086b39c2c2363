using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Mvc;

namespace Acme.Orders;

public record OrderPlaced(string OrderId, decimal Total);

public class Stock
{
    public string Sku { get; set; }
    public int Level { get; set; }
}

[ApiController]
[Route("orders")]
public class OrdersController(HttpClient http, IProducer<string, string> producer) : ControllerBase
{
    // An ASP.NET action: the body is typed, the answer is bound to the route.
    [HttpPost] // expect: uses_type sym:@#OrdersController.Place -> flow:T|cs:Acme.Orders|OrderView ;; role=encode
    public async Task<ActionResult<OrderView>> Place([FromBody] NewOrder body)
    {
        var sku = body.Sku; // expect: flow:T|cs:Acme.Orders|NewOrder ;; name=Sku
        var stock = await http.GetFromJsonAsync<Stock>("http://stock/stock/" + sku); // expect: uses_type sym:@#OrdersController.Place -> flow:T|cs:Acme.Orders|Stock ;; role=decode
        var level = stock.Level; // expect: flow:T|cs:Acme.Orders|Stock ;; name=Level
        var resp = await http.GetAsync("http://pricing/prices/" + sku);
        var price = await resp.Content.ReadFromJsonAsync<Price>(); // expect: flow:T|cs:Acme.Orders|Price ;; role=decode
        var evt = new OrderPlaced(sku, price.Amount); // expect: name=Amount
        await producer.ProduceAsync("orders.placed", new Message<string, string> { Key = sku, Value = JsonSerializer.Serialize(evt) }); // expect: uses_type sym:@#OrdersController.Place -> flow:T|cs:Acme.Orders|OrderPlaced ;; boundary=topic|orders.placed, role=encode
        return Ok(new OrderView { Sku = sku }); // expect: writes_field sym:@#OrdersController.Place -> flow:T|cs:Acme.Orders|OrderView ;; name=Sku
    }
}

public class Worker
{
    // A Confluent consumer loop: the message value is decoded into the consumer's type.
    public void Run(IConsumer<string, string> consumer)
    {
        consumer.Subscribe("payments.settled");
        while (true)
        {
            var cr = consumer.Consume();
            var s = JsonSerializer.Deserialize<Settlement>(cr.Message.Value); // expect: uses_type sym:@#Worker.Run -> flow:T|cs:Acme.Orders|Settlement ;; boundary=topic|payments.settled, role=decode
            _ = s.OrderId; // expect: flow:T|cs:Acme.Orders|Settlement ;; name=OrderId
        }
    }
}
