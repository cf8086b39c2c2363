# A gRPC server: handlers take (request, call) and answer with a message.
class CartServer < Hipstershop::CartService::Service
  def get_cart(req, _call) # expect: implements sym:@#CartServer::get_cart -> grpc:CartService/GetCart
    user = req.user_id # expect: flow:B|grpc-req|CartService/GetCart ;; {access=call, name=user_id
    Hipstershop::Cart.new(user_id: user, items: []) # expect: writes_field sym:@#CartServer::get_cart -> flow:T|Hipstershop|Cart ;; name=user_id
  end

  def helper(x) # expect-not: implements
    x.total
  end
end
