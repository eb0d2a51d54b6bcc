"""The demo shop's FAQ, written for Juniper Lane; facts match commerce/ (EUR prices including VAT, delivery
4.95 EUR or free from 50 EUR, dispatch within a working day, 30-day free returns, two-year guarantee,
delivery to DE, NL, FR, AT, BE and IE with the carriers in commerce/seed/orders.py)."""
from __future__ import annotations

from typing import NamedTuple


class SeedEntry(NamedTuple):
    slug: str
    category: str
    question: str
    phrasings: tuple[str, ...]
    answer: str
    tags: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()


HELP = "help@juniperlane.example"

ENTRIES: tuple[SeedEntry, ...] = (
    # --- shipping -------------------------------------------------------------------------------------
    SeedEntry(
        "shipping-cost", "shipping", "How much does delivery cost?",
        ("What are your shipping fees?", "Is there a charge for postage?", "How much is standard shipping?"),
        "Delivery costs **4.95 EUR** per order. Orders of **50 EUR or more** ship free. "
        "The price is the same for every country we deliver to.",
        ("delivery", "fees"),
    ),
    SeedEntry(
        "free-shipping-threshold", "shipping", "When is delivery free?",
        ("Do you offer free shipping?", "What's the minimum order for free delivery?",
         "How much do I need to spend to get free postage?"),
        "Delivery is free when the goods in your basket add up to **50 EUR or more** (after any discount). "
        "Below that, delivery is a flat 4.95 EUR.",
        ("delivery", "fees"),
    ),
    SeedEntry(
        "delivery-countries", "shipping", "Which countries do you deliver to?",
        ("Do you ship to my country?", "Where do you send orders?", "Can I order from outside Germany?"),
        "We deliver to **Germany, the Netherlands, France, Austria, Belgium and Ireland**. "
        "We can't send parcels to other countries yet, including the UK and Switzerland.",
        ("countries", "international"),
    ),
    SeedEntry(
        "delivery-time", "shipping", "How long does delivery take?",
        ("When will my parcel arrive?", "How many days is shipping?", "What is the delivery time?"),
        "We dispatch orders within **one working day**. After that the carrier usually needs **2 to 4 working "
        "days**, a little longer to Ireland and on public holidays. Your shipping confirmation e-mail shows "
        "the expected delivery date.",
        ("delivery", "timing"),
    ),
    SeedEntry(
        "carriers", "shipping", "Which delivery company brings my parcel?",
        ("Which courier do you use?", "Is my order sent with DHL?", "What shipping carrier will deliver?"),
        "It depends on the country: DHL, DPD or Hermes in Germany; PostNL or DHL in the Netherlands; "
        "Colissimo, Chronopost or DPD in France; Österreichische Post or DPD in Austria; bpost or DPD in "
        "Belgium; An Post or DPD in Ireland. The carrier is chosen by our warehouse and can't be picked at "
        "checkout.",
        ("carrier", "courier"),
    ),
    SeedEntry(
        "track-order", "shipping", "How can I track my order?",
        ("Where is my parcel?", "Do I get a tracking number?", "How do I follow my delivery?"),
        "As soon as your order leaves our warehouse we e-mail you the carrier and a **tracking number**. "
        "You can also ask me here: tell me your order number (it looks like `SA-100001`) and the e-mail "
        "address you ordered with, and I'll look it up.",
        ("tracking", "order status"),
    ),
    SeedEntry(
        "express-delivery", "shipping", "Do you offer express or next-day delivery?",
        ("Can I pay for faster shipping?", "Is same-day delivery possible?", "Can I get my order tomorrow?"),
        "Not at the moment: every order goes by standard delivery, dispatched within one working day and "
        "usually delivered 2 to 4 working days later.",
        ("delivery", "timing"),
    ),
    SeedEntry(
        "late-parcel", "shipping", "My parcel is late. What should I do?",
        ("My order hasn't arrived yet", "The delivery date has passed and nothing came",
         "Package still not delivered"),
        "Carriers are sometimes a day or two behind their estimate. Check the tracking link in your shipping "
        "e-mail first. If the parcel is more than **3 working days** past the expected date, tell me your "
        "order number and I'll pass it to our team, who will chase the carrier or send a replacement.",
        ("delay", "missing parcel"),
    ),
    SeedEntry(
        "parcel-lost", "shipping", "The tracking says delivered but I don't have my parcel",
        ("My package was marked as delivered but never arrived", "Parcel shown delivered, not received",
         "Someone else may have taken my delivery"),
        "Please check with neighbours and any safe place the carrier may have used; the tracking page "
        "sometimes names the neighbour or parcel shop. If it isn't there after a day, ask for a person here "
        "with your order number: we'll open a claim with the carrier and send a replacement or a refund.",
        ("missing parcel", "claim"),
    ),
    SeedEntry(
        "change-address", "shipping", "Can I change the delivery address after ordering?",
        ("I entered the wrong address", "How do I update the shipping address on my order?",
         "Can my order go to a different address?"),
        "Yes, as long as the order **hasn't shipped yet**. Tell me the order number and your e-mail and I'll "
        "change it for you. Once the parcel is with the carrier we can't redirect it, but most carriers let "
        "you choose a neighbour or parcel shop from their tracking page.",
        ("address", "order changes"),
    ),
    SeedEntry(
        "split-delivery", "shipping", "Why did my order arrive in more than one parcel?",
        ("I only got part of my order", "Some items are missing from my parcel",
         "Will the rest of my order come separately?"),
        "Large or bulky items are sometimes packed separately, and each parcel gets its own tracking number in "
        "your shipping e-mail. You never pay extra delivery for a split order. If an item is still missing "
        "after all parcels arrived, ask me for a person and we'll sort it out.",
        ("parcels", "missing item"),
    ),
    SeedEntry(
        "packaging", "shipping", "What packaging do you use?",
        ("Is your packaging plastic-free?", "Can I recycle the box?", "Do you use sustainable packaging?"),
        "We ship in recycled cardboard boxes with paper padding, and we avoid plastic fillers. Many products "
        "also come in plastic-free packaging that can go straight into paper recycling.",
        ("sustainability", "packaging"),
    ),
    # --- orders ---------------------------------------------------------------------------------------
    SeedEntry(
        "cancel-order", "orders", "Can I cancel my order?",
        ("How do I cancel an order?", "I changed my mind about my purchase", "Stop my order please"),
        "You can cancel any order that **hasn't shipped yet**: tell me the order number and your e-mail "
        "address and I'll do it right away. If you had already paid, the refund goes back to your payment "
        "method. After shipping, cancellation isn't possible, but you can return the parcel free of charge.",
        ("cancellation", "order changes"),
    ),
    SeedEntry(
        "cancellation-fee", "orders", "Is there a fee for cancelling an order?",
        ("Do you charge to cancel?", "Will I lose money if I cancel?", "Are cancellations free?"),
        "No. Cancelling before dispatch is free and you get back everything you paid, including delivery.",
        ("cancellation", "fees"),
    ),
    SeedEntry(
        "order-number", "orders", "Where do I find my order number?",
        ("What is my order reference?", "I lost my order number", "What does an order number look like?"),
        "Your order number is in the subject of the confirmation e-mail and looks like `SA-100001`. If you have "
        "an account, it's also listed under **My orders**.",
        ("order number",),
    ),
    SeedEntry(
        "change-order-items", "orders", "Can I add or remove items from my order?",
        ("I want to change what I ordered", "Can I add something to an existing order?",
         "How do I edit my order?"),
        "We can't change the items of an order once it's placed. If it hasn't shipped yet, you can cancel it "
        "(free) and place a new order. Otherwise, return the items you don't want within 30 days.",
        ("order changes",),
    ),
    SeedEntry(
        "order-confirmation", "orders", "I didn't get an order confirmation e-mail",
        ("No confirmation email arrived", "Did my order go through?", "I haven't received the order email"),
        "Confirmation e-mails are sent within a few minutes. Please check your spam folder and that the "
        "address you typed was right. If there's still nothing, ask me for a person and we'll confirm whether "
        "the order was placed.",
        ("confirmation", "email"),
    ),
    SeedEntry(
        "out-of-stock", "orders", "An item is out of stock. Will it come back?",
        ("When will this product be available again?", "Can you notify me when something is back in stock?",
         "Sold out item restock"),
        "Most products are restocked within a few weeks, but we can't give exact dates or reserve items. "
        "The product page always shows whether it can be ordered now.",
        ("stock", "availability"),
    ),
    # --- returns --------------------------------------------------------------------------------------
    SeedEntry(
        "return-policy", "returns", "What is your returns policy?",
        ("Can I return an item?", "How many days do I have to send something back?", "Do you accept returns?"),
        "You can return anything within **30 days of delivery** for a full refund. Returns are free. Items "
        "should be unused and, where possible, in their original packaging.",
        ("returns", "policy"),
    ),
    SeedEntry(
        "start-return", "returns", "How do I return an item?",
        ("How do I send something back?", "I want to start a return", "Where do I get a returns label?"),
        "Tell me your order number and e-mail here and I'll start the return; you'll get a free returns label "
        "by e-mail. Pack the items, stick the label on, and drop the parcel at any point of the carrier shown "
        "on the label.",
        ("returns", "label"),
    ),
    SeedEntry(
        "return-cost", "returns", "Do I have to pay for return shipping?",
        ("Are returns free?", "Who pays the postage for a return?", "Is there a returns fee?"),
        "No, returns are free from every country we deliver to: use the prepaid label we e-mail you.",
        ("returns", "fees"),
    ),
    SeedEntry(
        "return-window-passed", "returns", "Can I return something after 30 days?",
        ("My return period has expired", "It's been more than a month, can I still send it back?",
         "Late return"),
        "Returns are accepted for 30 days from delivery. After that we can't take an item back for a refund, "
        "but if it's faulty it is still covered by our **two-year guarantee**.",
        ("returns", "deadline"),
    ),
    SeedEntry(
        "refund-time", "returns", "When will I get my refund?",
        ("How long do refunds take?", "I returned my order but haven't been refunded",
         "Where is my money back?"),
        "We refund within **1 to 4 working days after your return reaches our warehouse**. The money goes back "
        "to the payment method you used; your bank may need a few more days to show it. I can check the "
        "status of a refund with your order number and e-mail.",
        ("refund", "timing"),
    ),
    SeedEntry(
        "refund-method", "returns", "How will I be refunded?",
        ("Do I get cash or store credit?", "Is the refund paid to my card?", "Refund to PayPal?"),
        "Refunds always go back to the original payment method (card, PayPal, Apple Pay, Google Pay, iDEAL "
        "or Bancontact). We don't issue store credit instead.",
        ("refund", "payment"),
    ),
    SeedEntry(
        "exchange", "returns", "Can I exchange an item for a different size or colour?",
        ("How do exchanges work?", "I need a bigger size", "Can I swap for another colour?"),
        "We don't do direct exchanges. Return the item (free) and place a new order for the size or colour "
        "you want; that way you get it as quickly as possible.",
        ("exchange", "sizes"),
    ),
    SeedEntry(
        "return-delivery-cost-refund", "returns", "Do I get the delivery cost back when I return?",
        ("Is the shipping fee refunded?", "Will you refund postage if I send everything back?",
         "Refund of delivery charge"),
        "If you return the whole order within 30 days, we also refund what you paid for delivery. For a "
        "partial return only the returned items are refunded.",
        ("refund", "fees"),
    ),
    SeedEntry(
        "hygiene-returns", "returns", "Can I return cosmetics or opened beauty products?",
        ("Can I send back skincare I've opened?", "Returns for personal care items", "Used make-up return"),
        "Beauty and personal-care products can be returned only **unopened and with the seal intact**, for "
        "hygiene reasons. Faulty products are of course covered whether opened or not.",
        ("returns", "beauty"),
    ),
    SeedEntry(
        "worn-items", "returns", "Can I return clothes or shoes I've worn?",
        ("I wore the shoes outside, can I still return them?", "Return used clothing",
         "Can I give back a jacket I tried on?"),
        "Try clothes and shoes on indoors: we accept them back if they're unworn, unwashed and have their tags. "
        "Items that have clearly been worn outside can't be refunded unless they're faulty.",
        ("returns", "clothing", "shoes"),
    ),
    SeedEntry(
        "damaged-delivery", "returns", "My item arrived damaged. What now?",
        ("The product was broken when it arrived", "Something in my parcel is damaged",
         "I received a faulty item"),
        "Sorry about that! Take a photo of the item and the packaging and ask me for a person with your order "
        "number. We'll send a replacement or refund you in full, and you won't pay anything for the return.",
        ("damaged", "faulty"),
    ),
    SeedEntry(
        "wrong-item", "returns", "I received the wrong item",
        ("You sent me the wrong product", "This isn't what I ordered", "Wrong size was delivered"),
        "We're sorry for the mix-up. Ask me for a person with your order number: we'll send the right item "
        "straight away and a free label to return the wrong one.",
        ("wrong item",),
    ),
    # --- payments -------------------------------------------------------------------------------------
    SeedEntry(
        "payment-methods", "payments", "Which payment methods do you accept?",
        ("How can I pay?", "Can I pay with PayPal?", "Do you take credit cards?"),
        "You can pay by **Visa, Mastercard or American Express**, **PayPal**, **Apple Pay** and **Google Pay**, "
        "and with **iDEAL** in the Netherlands and **Bancontact** in Belgium.",
        ("payment",),
    ),
    SeedEntry(
        "pay-on-invoice", "payments", "Can I pay by invoice or bank transfer?",
        ("Do you offer pay later?", "Can I pay cash on delivery?", "Bank transfer payment possible?"),
        "Not at the moment: we don't offer invoice, instalments, bank transfer or cash on delivery. Every "
        "order is paid at checkout with one of our payment methods.",
        ("payment",),
    ),
    SeedEntry(
        "when-charged", "payments", "When is my payment taken?",
        ("When do you charge my card?", "Am I charged when I order or when it ships?",
         "When will the money leave my account?"),
        "We take the payment when you place the order. If we later cancel it or you cancel before dispatch, "
        "the full amount is refunded.",
        ("payment", "timing"),
    ),
    SeedEntry(
        "payment-failed", "payments", "My payment didn't go through",
        ("Payment declined at checkout", "Why was my card refused?", "The order says unpaid"),
        "An order whose payment failed stays **unpaid** and won't ship. Try again with the link in your order "
        "e-mail, or use another payment method. A refusal comes from your bank or card provider, so they can "
        "tell you why; for your security we never see your card details.",
        ("payment", "problem"),
    ),
    SeedEntry(
        "charged-twice", "payments", "I was charged twice for one order",
        ("Double charge on my card", "Money taken two times", "Duplicate payment"),
        "Often the first charge is only a reservation that your bank releases within a few days. If both "
        "charges are still there after 5 working days, ask me for a person with your order number and we'll "
        "refund the duplicate.",
        ("payment", "problem"),
    ),
    SeedEntry(
        "currency-vat", "payments", "Which currency are your prices in, and is VAT included?",
        ("Do prices include tax?", "Can I pay in pounds or dollars?", "Are prices in euros?"),
        "All prices are in **euros** and **include VAT** at the rate of the country we deliver to. There are "
        "no customs duties, since we deliver only within the EU.",
        ("prices", "vat", "currency"),
    ),
    SeedEntry(
        "invoice-copy", "payments", "How do I get an invoice for my order?",
        ("Can I have a receipt?", "I need a VAT invoice", "Where can I download my invoice?"),
        "Every order has an invoice showing the VAT. Ask me with your order number and e-mail and I'll give "
        "you the invoice details, or download it from **My orders** if you have an account.",
        ("invoice", "receipt"),
    ),
    SeedEntry(
        "price-change", "payments", "The price dropped after I ordered. Can I get the difference?",
        ("Price went down after my purchase", "Do you offer price adjustments?",
         "I paid more than the current price"),
        "We don't adjust the price of orders already placed. If your order hasn't shipped, you can cancel it "
        "for free and order again at the new price.",
        ("prices",),
    ),
    SeedEntry(
        "payment-security", "payments", "Is it safe to pay on your site?",
        ("Do you store my card number?", "Is checkout secure?", "Who handles card payments?"),
        "Yes. Payments are handled by our payment providers over an encrypted connection; Juniper Lane never "
        "sees or stores your full card number.",
        ("payment", "security"),
    ),
    # --- sizes ----------------------------------------------------------------------------------------
    SeedEntry(
        "clothing-sizes", "sizes", "What sizes do your clothes come in?",
        ("Do you have XXL?", "Which clothing sizes are available?", "Do you sell extra small?"),
        "Most of our clothing comes in sizes **XS to XXL**; sportswear usually XS to XL. The product page "
        "lists the sizes of each item and its measurements.",
        ("sizes", "clothing"), (("Clothing and other departments", "/#departments"),),
    ),
    SeedEntry(
        "size-advice", "sizes", "Which size should I choose?",
        ("I'm between two sizes", "How do your sizes fit?", "Do your clothes run small?"),
        "Our clothing fits true to the usual EU sizes. Compare the chest, waist and length in the size chart on "
        "the product page with a garment you like. Between two sizes, pick the larger for a relaxed fit; "
        "returns are free if it isn't right.",
        ("sizes", "fit"),
    ),
    SeedEntry(
        "shoe-sizes", "sizes", "What shoe sizes do you have?",
        ("Do you use EU shoe sizes?", "Are your shoes available in size 46?", "Shoe size range"),
        "Our shoes come in **EU sizes 37 to 45**. We don't carry half sizes; if you're usually a half size, "
        "most customers are happy with the size above.",
        ("sizes", "shoes"),
    ),
    SeedEntry(
        "size-conversion", "sizes", "How do I convert UK or US sizes to yours?",
        ("What is a US 9 in EU shoe size?", "UK size to EU conversion", "I know my US clothing size"),
        "We use EU sizes. As a guide for shoes, EU 38 ≈ UK 5 ≈ US women's 7.5, EU 42 ≈ UK 8 ≈ US men's 9, "
        "EU 45 ≈ UK 10.5 ≈ US men's 11.5. For clothing, S/M/L letter sizes are the same everywhere, but "
        "check the measurements on the product page.",
        ("sizes", "conversion"),
    ),
    SeedEntry(
        "bedding-sizes", "sizes", "What sizes are your duvet covers and bed sheets?",
        ("Do you have king size bedding?", "Which bed linen sizes do you sell?", "Single or double sheets"),
        "Bed linen comes in **Single, Double, King and Super King**. The exact dimensions in centimetres are "
        "on each product page, so you can compare them with your mattress and duvet.",
        ("sizes", "home"),
    ),
    SeedEntry(
        "pan-sizes", "sizes", "How are pans measured?",
        ("What does 24 cm mean for a frying pan?", "Is the pan size the base or the top?",
         "Which pan size fits my hob?"),
        "Pan sizes (20 to 30 cm) are the diameter across the top rim. The base is usually 4 to 6 cm smaller; "
        "pick a pan whose base matches your hob ring, especially on induction.",
        ("sizes", "kitchen"),
    ),
    SeedEntry(
        "kids-sizes", "sizes", "Do you sell children's sizes?",
        ("Do you have kids clothing?", "Are there shoes for children?", "Clothes for babies"),
        "Our clothing and shoes are adult sizes only for now. For children we have toys and games, and some "
        "camping and sports gear marked as suitable for kids on the product page.",
        ("sizes", "children"),
    ),
    # --- warranty -------------------------------------------------------------------------------------
    SeedEntry(
        "guarantee", "warranty", "Do your products have a guarantee?",
        ("What warranty do I get?", "How long is the warranty?", "Is there a guarantee on electronics?"),
        "Every product has our **two-year guarantee** from the delivery date, covering faults in materials and "
        "manufacturing. It comes on top of your legal rights, which it never limits.",
        ("warranty", "guarantee"),
    ),
    SeedEntry(
        "warranty-claim", "warranty", "How do I make a warranty claim?",
        ("My product stopped working", "Something broke after a few months", "How do I report a defect?"),
        "Ask me for a person and give your order number, a short description and a photo or video of the "
        "fault. Within the two-year guarantee we repair, replace or refund the product, and we pay for the "
        "shipping.",
        ("warranty", "claim", "faulty"),
    ),
    SeedEntry(
        "warranty-exclusions", "warranty", "What isn't covered by the guarantee?",
        ("Does the warranty cover accidental damage?", "Is wear and tear covered?",
         "What voids the guarantee?"),
        "The guarantee covers faults, not normal wear (such as worn soles or faded colours), accidents, or "
        "damage from not following the care instructions.",
        ("warranty",),
    ),
    SeedEntry(
        "spare-parts", "warranty", "Can I get spare parts or a repair?",
        ("Do you sell replacement parts?", "Can my product be repaired after the guarantee?",
         "Where do I get a spare lid or handle?"),
        "Many of our products are made to be repaired. Ask me for a person with the product name or order "
        "number and we'll tell you which spare parts are available, or where the brand repairs it.",
        ("repair", "spare parts"),
    ),
    SeedEntry(
        "warranty-no-receipt", "warranty", "Do I need my receipt for a warranty claim?",
        ("I lost the receipt, can I still claim?", "Proof of purchase for warranty",
         "Warranty without invoice"),
        "No: your order number (or the e-mail address you ordered with) is enough, since we keep every order "
        "and its invoice.",
        ("warranty", "receipt"),
    ),
    SeedEntry(
        "electronics-safety", "warranty", "Are your electronics suitable for EU sockets?",
        ("Do your chargers have European plugs?", "Will this lamp work in Ireland?", "Plug type for devices"),
        "Everything we sell carries the CE mark and comes with an EU (type C/F) plug. Products for Ireland ship "
        "with a type G plug or an adapter, as noted on the product page.",
        ("electronics", "plugs"),
    ),
    # --- account --------------------------------------------------------------------------------------
    SeedEntry(
        "create-account", "account", "How do I create an account?",
        ("How do I sign up?", "I want to register", "Can I open a customer account?"),
        "Choose **Sign up** at the top of any page and enter your name, e-mail address and a password. An "
        "account keeps your orders, invoices and addresses in one place.",
        ("account", "registration"),
    ),
    SeedEntry(
        "guest-checkout", "account", "Do I need an account to order?",
        ("Can I check out as a guest?", "Is registration required to buy?", "Order without signing up"),
        "No. You can order as a guest; we'll only need your e-mail for the confirmation and tracking. You can "
        "create an account later with the same e-mail to see past orders.",
        ("account", "checkout"),
    ),
    SeedEntry(
        "reset-password", "account", "I forgot my password",
        ("How do I reset my password?", "I can't log in to my account", "Password recovery"),
        "Choose **Log in**, then **Forgot password?**, and enter your e-mail. We'll send a reset link that is "
        "valid for one hour. Check your spam folder if it doesn't arrive within a few minutes.",
        ("account", "password"),
    ),
    SeedEntry(
        "change-email", "account", "How do I change the e-mail address or details on my account?",
        ("Update my account information", "Change my name or phone number", "Edit my profile"),
        "Log in and open **My account → Details**. You can change your name, phone number, e-mail and saved "
        "addresses there; a new e-mail address has to be confirmed from its inbox.",
        ("account", "profile"),
    ),
    SeedEntry(
        "delete-account", "account", "How do I delete my account?",
        ("Close my customer account", "I want to remove my account", "Cancel my registration"),
        "Log in and choose **My account → Delete account**, or ask me for a person. We delete your profile "
        "within 30 days; invoices are kept as long as tax law requires, but no longer linked to an account.",
        ("account", "privacy", "deletion"),
    ),
    SeedEntry(
        "registration-problem", "account", "I can't create an account",
        ("Sign-up isn't working", "It says my e-mail is already registered", "Registration error"),
        "If the site says your e-mail is already registered, you (or a past guest order) may already have an "
        "account: use **Forgot password?** to set a password. Passwords need at least 10 characters. If it "
        "still fails, ask me for a person.",
        ("account", "registration", "problem"),
    ),
    SeedEntry(
        "newsletter", "account", "How do I subscribe to or unsubscribe from the newsletter?",
        ("Stop sending me marketing emails", "Sign me up for your newsletter", "Unsubscribe from emails"),
        "Every newsletter has an **unsubscribe** link at the bottom. With an account you can also switch it on "
        "or off under **My account → Preferences**. Order and delivery e-mails are always sent.",
        ("newsletter", "marketing"),
    ),
    SeedEntry(
        "contact-us", "account", "How can I contact customer service?",
        ("Can I talk to a person?", "What is your email address?", "How do I reach your support team?"),
        f"Ask me for a person at any time and I'll hand our conversation to the team, or e-mail **{HELP}**. "
        "We answer on working days, usually within a few hours.",
        ("contact", "support"),
    ),
    SeedEntry(
        "product-review", "account", "How do I write a product review?",
        ("Can I rate a product I bought?", "Where do I leave a review?", "Leave feedback on an item"),
        "After delivery we e-mail you a link to review what you bought. Reviews are published after a quick "
        "check that they're about the product and follow our guidelines.",
        ("reviews",),
    ),
    # --- privacy --------------------------------------------------------------------------------------
    SeedEntry(
        "personal-data", "privacy", "What personal data do you keep about me?",
        ("What information do you store?", "How do you use my data?", "Do you collect my data?"),
        "We keep what we need to deliver and support your orders: name, e-mail, phone if you gave it, "
        "addresses, orders and invoices, and your chats with us. We use it for your orders, our legal "
        "obligations and, only if you agreed, our newsletter.",
        ("privacy", "gdpr"),
    ),
    SeedEntry(
        "data-export", "privacy", "How can I get a copy of my data?",
        ("Request my personal data", "GDPR data access request", "Download everything you have about me"),
        f"E-mail **{HELP}** from the address you use with us and ask for a copy of your data. We send it "
        "within 30 days, as the GDPR requires.",
        ("privacy", "gdpr"),
    ),
    SeedEntry(
        "data-sharing", "privacy", "Do you share my data with other companies?",
        ("Do you sell my information?", "Who gets my address?", "Third parties and my data"),
        "We never sell your data. We share only what a service needs to do its job: your address with the "
        "carrier, payment details with the payment provider, and nothing beyond that.",
        ("privacy", "third parties"),
    ),
    SeedEntry(
        "cookies", "privacy", "Which cookies does your site use?",
        ("Do you track me with cookies?", "Cookie settings", "Can I refuse cookies?"),
        "We use cookies that the shop needs to work (your basket and log-in) and, only with your consent, "
        "anonymous statistics. You can change your choice at any time with the **Cookie settings** link in "
        "the footer.",
        ("privacy", "cookies"),
    ),
    SeedEntry(
        "chat-data", "privacy", "What happens to my chat conversations?",
        ("Do you save the chat?", "Who reads my messages to the assistant?", "Is this chat recorded?"),
        "Chats are stored so our team can help if you ask for a person and so we can improve the answers. "
        "Ratings you give an answer are linked to the conversation, not to your name. Tell us if you want a "
        "conversation deleted.",
        ("privacy", "chat"),
    ),
    SeedEntry(
        "erase-data", "privacy", "Can you delete all my personal data?",
        ("Right to be forgotten", "Erase my information", "Remove my details from your systems"),
        f"Yes. Ask me for a person or e-mail **{HELP}**. We delete your data within 30 days, except invoices, "
        "which tax law requires us to keep for up to ten years.",
        ("privacy", "gdpr", "deletion"),
    ),
)
