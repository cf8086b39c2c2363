// A module other files call with a payload: its parameter reads are deferred to its callers.
module.exports = function charge(request) {
  const { amount, credit_card: card } = request; // expect: flow:P|payments/charge|charge|0 ;; name=amount ;; name=credit_card
  console.log(`${amount.units} ${card.number}`); // expect: flow:P|payments/charge|charge|0>amount ;; name=units ;; flow:P|payments/charge|charge|0>credit_card ;; name=number
  return { transaction_id: 'x' }; // expect: writes_field ;; flow:R|payments/charge|charge ;; name=transaction_id
};
