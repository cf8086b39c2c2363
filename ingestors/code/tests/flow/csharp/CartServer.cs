using System.Linq;
using System.Threading.Tasks;
using Grpc.Core;
using Acme.Shop;

namespace Acme.CartService
{
    // A gRPC server: requests typed by the override's parameters, replies built with initializers.
    public class CartServer : Cart.CartBase
    {
        private readonly ICartStore _store;
        private readonly Catalog.CatalogClient _catalog;

        public CartServer(ICartStore store, Catalog.CatalogClient catalog)
        {
            _store = store;
            _catalog = catalog;
        }

        public override async Task<Empty> AddItem(AddItemRequest request, ServerCallContext context) // expect: implements sym:@#CartServer.AddItem -> grpc:Cart/AddItem
        {
            await _store.AddAsync(request.UserId, request.Item.ProductId, request.Item.Quantity); // expect: flow:T|cs:Acme.CartService,cs:Acme.Shop|AddItemRequest ;; name=UserId ;; name=Item ;; flow:T|cs:Acme.CartService,cs:Acme.Shop|AddItemRequest>Item ;; name=ProductId
            var product = await _catalog.GetProductAsync(new GetProductRequest { Id = request.Item.ProductId }); // expect: consumes sym:@#CartServer.AddItem -> grpc:Catalog/GetProduct ;; writes_field sym:@#CartServer.AddItem -> flow:T|cs:Acme.CartService,cs:Acme.Shop|GetProductRequest ;; name=Id
            var price = product.PriceUsd; // expect: flow:B|grpc|Catalog/GetProduct ;; name=PriceUsd
            return new Empty();
        }

        public override Task<CartReply> GetCart(GetCartRequest request, ServerCallContext context)
        {
            var reply = new CartReply { UserId = request.UserId }; // expect: writes_field sym:@#CartServer.GetCart -> flow:T|cs:Acme.CartService,cs:Acme.Shop|CartReply ;; name=UserId
            reply.Items.Add(new CartItem { ProductId = "x", Quantity = 1 }); // expect: access=member, name=Items ;; writes_field sym:@#CartServer.GetCart -> flow:T|cs:Acme.CartService,cs:Acme.Shop|CartItem
            reply.Items.Add(null); // expect-not: reads_field sym:@#CartServer.GetCart -> flow:
            var first = reply.Items.FirstOrDefault(i => i.ProductId == "x"); // expect: flow:T|cs:Acme.CartService,cs:Acme.Shop|CartReply>Items[] ;; name=ProductId
            first.Quantity += 2; // expect: writes_field ;; name=Quantity
            foreach (var item in reply.Items) // expect: name=Items
            {
                _ = item.ProductId; // expect: flow:T|cs:Acme.CartService,cs:Acme.Shop|CartReply>Items[] ;; name=ProductId
            }
            return Task.FromResult(reply);
        }

        private int Helper(string s) // expect-not: implements
        {
            Cart cart;
            cart = Cart.Parser.ParseFrom(null);
            return cart.Items.Count; // expect: flow:T|cs:Acme.CartService,cs:Acme.Shop|Cart ;; name=Items
        }
    }

    // A look-alike: a dictionary and a string are not contract reads.
    public class Lookalike
    {
        public void Run(System.Collections.Generic.Dictionary<string, string> d, string s)
        {
            var x = d["Items"]; // expect-not: flow:T|cs:Acme
            var n = s.Length; // expect-not: flow:
        }
    }
}
