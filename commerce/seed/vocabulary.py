"""Catalog vocabulary for the demo shop, written for this project.

Each category lists product nouns, attribute values that vary a product, the title pattern, a price range
in euros and sentences that describe what matters about such products. Titles and descriptions are put
together from these pieces by commerce.seed.catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    nouns: tuple[str, ...]
    attributes: dict[str, tuple[str, ...]]
    title: str  # format string over {noun} and the attribute names
    price: tuple[int, int]  # euros
    purpose: str  # completes "Made for ..."
    features: tuple[str, ...]


@dataclass(frozen=True)
class DepartmentSpec:
    slug: str
    code: str  # SKU prefix
    name: str
    brands: tuple[str, ...]
    categories: tuple[CategorySpec, ...] = field(default_factory=tuple)


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(
        "kitchen",
        "KIT",
        "Kitchen & Dining",
        ("Hearthmoor", "Copperleaf", "Brightwell Kitchen", "Salt & Ember"),
        (
            CategorySpec(
                "cookware",
                "Cookware",
                ("Frying Pan", "Sauté Pan", "Saucepan", "Wok", "Casserole", "Griddle Pan"),
                {
                    "material": (
                        "Cast Iron",
                        "Carbon Steel",
                        "Tri-Ply Stainless",
                        "Ceramic Non-Stick",
                        "Enamelled Cast Iron",
                    ),
                    "size": ("20 cm", "24 cm", "26 cm", "28 cm", "30 cm"),
                },
                "{material} {noun}, {size}",
                (19, 189),
                "everyday cooking and slow weekend dishes",
                (
                    "It heats evenly from the edge to the centre, so nothing scorches in the middle.",
                    "It works on gas, electric, ceramic and induction hobs.",
                    "The handle stays cool on the hob and the whole pan is oven-safe to 240 °C.",
                    "A heavy base keeps its heat when cold food goes in, which is what gives a proper sear.",
                    "The rim is rolled for pouring sauces without drips.",
                ),
            ),
            CategorySpec(
                "knives",
                "Knives",
                ("Chef's Knife", "Santoku", "Paring Knife", "Bread Knife", "Utility Knife", "Knife Block Set"),
                {
                    "steel": ("German Steel", "Damascus-Pattern", "Japanese VG-10", "High-Carbon"),
                    "handle": ("Walnut", "Olive Wood", "Black Composite", "Oak"),
                },
                "{steel} {noun} with {handle} Handle",
                (14, 249),
                "precise cuts from onions to crusty loaves",
                (
                    "The blade is ground to a 15-degree edge and arrives sharp enough to slice paper.",
                    "A full tang runs through the handle for balance in the hand.",
                    "Hand washing keeps the edge keen for longer; it is not made for the dishwasher.",
                    "The bolster protects your fingers without getting in the way of sharpening.",
                ),
            ),
            CategorySpec(
                "coffee-tea",
                "Coffee & Tea",
                ("Pour-Over Kettle", "French Press", "Burr Grinder", "Teapot", "Espresso Maker", "Milk Frother"),
                {
                    "finish": ("Matte Black", "Brushed Steel", "Copper", "Cream", "Glass"),
                    "capacity": ("0.35 l", "0.6 l", "1 l", "1.2 l"),
                },
                "{noun}, {finish}, {capacity}",
                (12, 169),
                "a better cup at home every morning",
                (
                    "The gooseneck spout gives a slow, steady pour for even extraction.",
                    "Every part that touches coffee or tea comes apart for cleaning.",
                    "Double walls keep the brew hot for longer and the outside comfortable to hold.",
                    "It is sized to sit neatly next to the kettle without taking over the worktop.",
                ),
            ),
            CategorySpec(
                "tableware",
                "Tableware",
                ("Dinner Plate Set", "Pasta Bowls", "Stoneware Mugs", "Serving Platter", "Tumbler Set", "Cutlery Set"),
                {
                    "colour": ("Sand", "Slate", "Sage", "Chalk White", "Midnight Blue", "Terracotta"),
                    "pieces": ("2 pieces", "4 pieces", "6 pieces", "16 pieces"),
                },
                "{noun} in {colour}, {pieces}",
                (16, 129),
                "everyday meals and long dinners with friends",
                (
                    "The reactive glaze makes every piece a little different from the next.",
                    "It is safe in the dishwasher, microwave and oven.",
                    "The pieces stack tightly, which helps in small kitchens.",
                    "Thick, rounded rims stand up well to daily use.",
                ),
            ),
        ),
    ),
    DepartmentSpec(
        "home",
        "HOM",
        "Home & Living",
        ("Linden & Loom", "Softfield", "Holloway Home", "Quietroom"),
        (
            CategorySpec(
                "bedding",
                "Bedding",
                ("Duvet Cover Set", "Fitted Sheet", "Pillowcase Pair", "Weighted Blanket", "Wool Duvet", "Throw"),
                {
                    "fabric": ("Washed Linen", "Percale Cotton", "Sateen Cotton", "Brushed Flannel", "Merino"),
                    "size": ("Single", "Double", "King", "Super King"),
                },
                "{fabric} {noun}, {size}",
                (24, 219),
                "deeper sleep in every season",
                (
                    "Stone washing gives the fabric a soft, lived-in feel from the first night.",
                    "The cotton is grown without harmful chemicals and certified to OEKO-TEX Standard 100.",
                    "Hidden buttons at the foot keep the duvet in place.",
                    "It breathes well on warm nights and layers up when it gets cold.",
                ),
            ),
            CategorySpec(
                "lighting",
                "Lighting",
                ("Table Lamp", "Floor Lamp", "Pendant Shade", "Reading Light", "LED String Lights", "Wall Sconce"),
                {
                    "finish": ("Brass", "Smoked Glass", "Rattan", "Matte White", "Black Steel", "Linen"),
                    "bulb": ("E27", "E14", "integrated LED"),
                },
                "{finish} {noun} ({bulb})",
                (18, 249),
                "warm, glare-free light where you need it",
                (
                    "A dimmer on the cable lets you go from reading light to evening glow.",
                    "The shade diffuses the bulb so the light is soft rather than harsh.",
                    "It comes with a 2 m fabric cable and an in-line switch.",
                    "It is rated for bulbs up to 40 W, or the LED equivalent.",
                ),
            ),
            CategorySpec(
                "storage",
                "Storage",
                ("Storage Basket", "Shoe Rack", "Drawer Organiser", "Under-Bed Box", "Wall Shelf", "Coat Rack"),
                {
                    "material": ("Seagrass", "Oak Veneer", "Recycled Felt", "Powder-Coated Steel", "Bamboo"),
                    "size": ("Small", "Medium", "Large"),
                },
                "{material} {noun}, {size}",
                (9, 139),
                "a tidier home without a big project",
                (
                    "It arrives flat and assembles in minutes without tools.",
                    "Handles on both sides make it easy to pull out and carry.",
                    "It is sized to fit standard shelving units.",
                    "The surface wipes clean with a damp cloth.",
                ),
            ),
            CategorySpec(
                "decor",
                "Decor",
                ("Vase", "Wall Mirror", "Scented Candle", "Cushion Cover", "Picture Frame", "Wall Clock"),
                {
                    "style": ("Ribbed Glass", "Hand-Thrown Ceramic", "Bouclé", "Brushed Brass", "Oak", "Jute"),
                    "colour": ("Ivory", "Moss", "Rust", "Charcoal", "Blush"),
                },
                "{style} {noun}, {colour}",
                (8, 159),
                "adding character to a room",
                (
                    "Each piece is finished by hand, so small variations are part of its charm.",
                    "It looks at home in both modern and traditional rooms.",
                    "It arrives in plastic-free packaging that can go straight into recycling.",
                    "It makes an easy gift for a housewarming.",
                ),
            ),
        ),
    ),
    DepartmentSpec(
        "garden",
        "GAR",
        "Garden & Outdoor",
        ("Greenmantle", "Fernhill", "Rootwork", "Meadowgate"),
        (
            CategorySpec(
                "garden-tools",
                "Garden Tools",
                ("Hand Trowel", "Pruning Shears", "Garden Fork", "Hori Hori Knife", "Watering Can", "Hose Reel"),
                {
                    "material": ("Stainless Steel", "Carbon Steel", "Galvanised Steel", "Recycled Plastic"),
                    "grip": ("Ash Handle", "Soft Grip", "Beech Handle"),
                },
                "{material} {noun}, {grip}",
                (9, 129),
                "digging, planting and pruning through the season",
                (
                    "The head is forged in one piece, so it will not bend in heavy clay soil.",
                    "Depth markings on the blade help when planting bulbs.",
                    "A hole in the handle lets you hang it in the shed.",
                    "Wipe it dry after use and it will last for decades.",
                ),
            ),
            CategorySpec(
                "planters",
                "Planters",
                (
                    "Terracotta Pot",
                    "Self-Watering Planter",
                    "Raised Bed",
                    "Window Box",
                    "Hanging Basket",
                    "Plant Stand",
                ),
                {
                    "material": ("Terracotta", "Fibre Clay", "Larch Wood", "Zinc", "Recycled Plastic"),
                    "size": ("15 cm", "25 cm", "40 cm", "60 cm", "120 cm"),
                },
                "{material} {noun}, {size}",
                (7, 189),
                "growing herbs, flowers and vegetables in small spaces",
                (
                    "A drainage hole and raised feet stop roots from sitting in water.",
                    "It is frost-resistant, so it can stay outside all winter.",
                    "The reservoir waters plants for up to two weeks while you are away.",
                    "It weighs little when empty and is easy to move around.",
                ),
            ),
            CategorySpec(
                "outdoor-furniture",
                "Outdoor Furniture",
                ("Folding Chair", "Bistro Table", "Lounger", "Garden Bench", "Hammock", "Parasol"),
                {
                    "material": (
                        "Acacia Wood",
                        "Powder-Coated Aluminium",
                        "All-Weather Rattan",
                        "Teak",
                        "Recycled Polywood",
                    ),
                    "colour": ("Natural", "Anthracite", "Olive", "Sand"),
                },
                "{material} {noun}, {colour}",
                (39, 699),
                "long evenings on the balcony or in the garden",
                (
                    "It folds flat to store in the shed over winter.",
                    "The wood is treated with natural oil and ages to a silver grey if left untreated.",
                    "Stainless fittings will not rust in the rain.",
                    "It holds up to 120 kg.",
                ),
            ),
        ),
    ),
    DepartmentSpec(
        "electronics",
        "ELE",
        "Electronics",
        ("Northbeam", "Auralis", "Kestrel Audio", "Voltwise"),
        (
            CategorySpec(
                "headphones",
                "Headphones",
                (
                    "Wireless Earbuds",
                    "Over-Ear Headphones",
                    "Sports Earphones",
                    "Noise-Cancelling Headphones",
                    "Kids' Headphones",
                ),
                {
                    "colour": ("Black", "Stone", "Navy", "Forest Green", "White"),
                    "battery": ("20 h battery", "30 h battery", "40 h battery", "60 h battery"),
                },
                "{noun}, {colour}, {battery}",
                (19, 349),
                "music, calls and quiet on the commute",
                (
                    "Active noise cancelling takes the rumble out of trains and planes.",
                    "Ten minutes of charging gives two hours of listening.",
                    "Multipoint Bluetooth keeps it connected to a phone and a laptop at once.",
                    "It is rated IPX4 against sweat and light rain.",
                    "Memory-foam cushions stay comfortable over a long day.",
                ),
            ),
            CategorySpec(
                "speakers",
                "Speakers",
                ("Portable Speaker", "Bookshelf Speakers", "Soundbar", "Smart Speaker", "Shower Speaker"),
                {"colour": ("Charcoal", "Sand", "Teal", "Walnut"), "power": ("10 W", "20 W", "40 W", "80 W", "120 W")},
                "{noun}, {colour}, {power}",
                (25, 499),
                "filling a room with clear, full sound",
                (
                    "A passive radiator gives deep bass without distortion at high volume.",
                    "It pairs two units for stereo with a single button.",
                    "The fabric grille is made from recycled bottles.",
                    "It streams over Wi-Fi and Bluetooth and has an optical input for the TV.",
                ),
            ),
            CategorySpec(
                "chargers-cables",
                "Chargers & Cables",
                (
                    "USB-C Charger",
                    "Power Bank",
                    "Wireless Charging Pad",
                    "Braided USB-C Cable",
                    "Travel Adapter",
                    "Charging Stand",
                ),
                {
                    "spec": ("20 W", "30 W", "65 W", "100 W", "10,000 mAh", "20,000 mAh", "1 m", "2 m"),
                    "colour": ("Black", "White", "Grey"),
                },
                "{noun}, {spec}, {colour}",
                (9, 89),
                "keeping phones, tablets and laptops topped up",
                (
                    "Gallium-nitride parts make it smaller than the charger that came with your laptop.",
                    "It negotiates the fastest safe charge with each device it is plugged into.",
                    "The braided cable is tested to bend 20,000 times without fraying.",
                    "It protects against overheating, over-current and short circuits.",
                ),
            ),
            CategorySpec(
                "smart-home",
                "Smart Home",
                ("Smart Plug", "Smart Bulb", "Motion Sensor", "Video Doorbell", "Thermostat", "Door Sensor"),
                {"connectivity": ("Wi-Fi", "Zigbee", "Matter", "Thread"), "pack": ("single", "2-pack", "4-pack")},
                "{noun} ({connectivity}), {pack}",
                (12, 229),
                "automating lights, heating and security",
                (
                    "It works with the major voice assistants and sets up in the app in a few minutes.",
                    "Routines switch it on at sunset and off when everyone has left home.",
                    "Everything keeps working on the local network if the internet goes down.",
                    "Energy reports show what each device costs to run.",
                ),
            ),
        ),
    ),
    DepartmentSpec(
        "office",
        "OFF",
        "Computers & Office",
        ("Deskwell", "Keyline", "Corbel", "Inkhaven"),
        (
            CategorySpec(
                "keyboards-mice",
                "Keyboards & Mice",
                ("Mechanical Keyboard", "Wireless Mouse", "Ergonomic Mouse", "Compact Keyboard", "Trackpad"),
                {
                    "layout": ("UK layout", "US layout", "German layout", "French layout", "Nordic layout"),
                    "colour": ("Graphite", "Off-White", "Sage"),
                },
                "{noun}, {layout}, {colour}",
                (19, 179),
                "long days of typing without sore wrists",
                (
                    "Hot-swappable switches let you change the feel without soldering.",
                    "It connects over Bluetooth to three devices and switches with one key.",
                    "A single charge lasts around two months of office use.",
                    "The vertical grip keeps your forearm in a natural position.",
                ),
            ),
            CategorySpec(
                "desk-accessories",
                "Desk Accessories",
                ("Laptop Stand", "Monitor Riser", "Desk Mat", "Cable Tray", "Desk Lamp", "Footrest"),
                {
                    "material": ("Aluminium", "Walnut", "Felt", "Cork", "Steel"),
                    "colour": ("Silver", "Black", "Natural", "Grey"),
                },
                "{material} {noun}, {colour}",
                (12, 149),
                "a desk that is comfortable to work at all day",
                (
                    "It raises the screen to eye level, which takes the strain off your neck.",
                    "Non-slip pads keep it steady and protect the desk surface.",
                    "The cable channel keeps chargers out of sight.",
                    "It folds flat to fit in a laptop bag.",
                ),
            ),
            CategorySpec(
                "bags",
                "Laptop Bags",
                ("Laptop Backpack", "Messenger Bag", "Laptop Sleeve", "Tote Bag", "Roll-Top Backpack"),
                {
                    "fabric": ("Waxed Canvas", "Recycled Nylon", "Full-Grain Leather", "Ripstop"),
                    "fits": ("13-inch", "14-inch", "15-inch", "16-inch"),
                },
                "{fabric} {noun}, fits {fits}",
                (29, 229),
                "carrying a laptop and the day's essentials",
                (
                    "A padded, suspended compartment keeps the laptop off the ground when you put the bag down.",
                    "The water-repellent fabric shrugs off a cycle home in the rain.",
                    "A luggage strap slides it over the handle of a suitcase.",
                    "Inside pockets hold chargers, pens and a notebook in their place.",
                ),
            ),
        ),
    ),
    DepartmentSpec(
        "sports",
        "SPO",
        "Sports & Fitness",
        ("Stridewell", "Corefield", "Peakform", "Tempo Athletic"),
        (
            CategorySpec(
                "yoga",
                "Yoga & Pilates",
                ("Yoga Mat", "Yoga Block", "Pilates Ring", "Meditation Cushion", "Yoga Strap", "Resistance Band Set"),
                {
                    "material": ("Natural Rubber", "Cork", "TPE", "Cotton", "Latex-Free"),
                    "colour": ("Ocean", "Clay", "Lavender", "Charcoal", "Olive"),
                },
                "{material} {noun}, {colour}",
                (9, 119),
                "a steady home practice",
                (
                    "The surface grips even when your hands get warm.",
                    "It is 4 mm thick, enough to cushion knees without losing balance.",
                    "A carry strap is included for the walk to class.",
                    "It contains no PVC and smells of nothing after a day of airing.",
                ),
            ),
            CategorySpec(
                "running",
                "Running",
                (
                    "Running Vest",
                    "Hydration Belt",
                    "Running Cap",
                    "Reflective Jacket",
                    "Compression Socks",
                    "Armband Phone Holder",
                ),
                {"colour": ("Neon Yellow", "Black", "Coral", "Cobalt"), "size": ("XS", "S", "M", "L", "XL")},
                "{noun}, {colour}, size {size}",
                (9, 129),
                "easy runs, long runs and race day",
                (
                    "Reflective details keep you visible on early morning and evening runs.",
                    "Flat seams prevent chafing over long distances.",
                    "It dries quickly and packs into its own pocket.",
                    "The fit stays put without bouncing.",
                ),
            ),
            CategorySpec(
                "cycling",
                "Cycling",
                ("Bike Helmet", "Bike Lights Set", "Saddle Bag", "Mini Pump", "Cycling Gloves", "D-Lock"),
                {"colour": ("Matt Black", "White", "Hi-Vis Yellow", "Red"), "size": ("S", "M", "L", "one size")},
                "{noun}, {colour}, {size}",
                (12, 149),
                "commuting and weekend rides",
                (
                    "It meets the EN 1078 safety standard.",
                    "USB-C charging gives up to 12 hours in flashing mode.",
                    "It mounts without tools and comes off in seconds when you park.",
                    "Gel padding takes the buzz out of rough roads.",
                ),
            ),
            CategorySpec(
                "strength",
                "Strength Training",
                ("Adjustable Dumbbell", "Kettlebell", "Pull-Up Bar", "Exercise Mat", "Ab Roller", "Jump Rope"),
                {
                    "weight": ("4 kg", "8 kg", "12 kg", "16 kg", "24 kg", "2-24 kg"),
                    "finish": ("Cast Iron", "Vinyl", "Rubber-Coated"),
                },
                "{finish} {noun}, {weight}",
                (12, 299),
                "getting stronger at home",
                (
                    "The flat base stops it from rolling across the floor.",
                    "A wide handle leaves room for two hands in swings.",
                    "Markings are easy to read from a standing position.",
                    "It fits in a corner when you are not using it.",
                ),
            ),
        ),
    ),
    DepartmentSpec(
        "outdoors",
        "OUT",
        "Camping & Hiking",
        ("Ridgeway", "Trailhaven", "Summit & Pine", "Wildacre"),
        (
            CategorySpec(
                "tents",
                "Tents",
                ("Backpacking Tent", "Family Tent", "Pop-Up Tent", "Tarp Shelter", "Bivvy Bag"),
                {
                    "sleeps": ("1-person", "2-person", "3-person", "4-person", "6-person"),
                    "season": ("3-season", "4-season"),
                },
                "{sleeps} {season} {noun}",
                (39, 599),
                "nights under canvas from spring to autumn",
                (
                    "It pitches in under ten minutes, flysheet first so the inner stays dry.",
                    "Taped seams and a 3,000 mm hydrostatic head keep out steady rain.",
                    "Two porches give room for boots and rucksacks.",
                    "It packs down small enough to strap to the outside of a rucksack.",
                ),
            ),
            CategorySpec(
                "backpacks",
                "Backpacks",
                ("Daypack", "Trekking Rucksack", "Hydration Pack", "Travel Backpack", "Summit Pack"),
                {"volume": ("18 l", "25 l", "35 l", "45 l", "65 l"), "colour": ("Moss", "Slate", "Ochre", "Black")},
                "{noun}, {volume}, {colour}",
                (29, 259),
                "day hikes and multi-day treks",
                (
                    "An adjustable back system fits torsos of different lengths.",
                    "A mesh back panel keeps air moving on hot climbs.",
                    "A rain cover tucks into the base.",
                    "Hip-belt pockets keep snacks and a phone within reach.",
                ),
            ),
            CategorySpec(
                "camp-kitchen",
                "Camp Kitchen",
                ("Camping Stove", "Cook Set", "Insulated Bottle", "Camp Mug", "Spork Set", "Cool Box"),
                {
                    "material": ("Titanium", "Aluminium", "Stainless Steel", "Recycled Plastic"),
                    "capacity": ("0.5 l", "0.75 l", "1 l", "25 l"),
                },
                "{material} {noun}, {capacity}",
                (8, 149),
                "hot meals and cold drinks away from home",
                (
                    "It nests inside itself to save space in the pack.",
                    "Double-wall insulation keeps drinks hot for 12 hours or cold for 24.",
                    "It boils half a litre of water in about three minutes.",
                    "Everything is free of BPA.",
                ),
            ),
            CategorySpec(
                "sleeping",
                "Sleeping Gear",
                ("Sleeping Bag", "Sleeping Mat", "Camping Pillow", "Sleeping Bag Liner", "Camp Blanket"),
                {
                    "comfort": ("comfort 10 °C", "comfort 5 °C", "comfort 0 °C", "comfort -5 °C"),
                    "fill": ("Synthetic", "Down", "Recycled Fill"),
                },
                "{fill} {noun}, {comfort}",
                (15, 349),
                "warm, restful nights outdoors",
                (
                    "It compresses to the size of a loaf of bread.",
                    "The hood draws in around your face on cold nights.",
                    "A two-way zip lets you vent your feet when it warms up.",
                    "It inflates in a dozen breaths with the pump sack included.",
                ),
            ),
        ),
    ),
    DepartmentSpec(
        "clothing",
        "CLO",
        "Clothing",
        ("Harbourline", "Woolery & Co.", "Fieldnote", "Saltmarsh"),
        (
            CategorySpec(
                "jackets",
                "Jackets & Coats",
                ("Rain Jacket", "Down Jacket", "Wool Coat", "Fleece Jacket", "Softshell Jacket", "Gilet"),
                {
                    "colour": ("Navy", "Olive", "Black", "Rust", "Camel", "Stone"),
                    "size": ("XS", "S", "M", "L", "XL", "XXL"),
                },
                "{noun}, {colour}, size {size}",
                (49, 329),
                "staying warm and dry when the weather turns",
                (
                    "The shell is waterproof to 10,000 mm and breathes on brisk walks.",
                    "A two-way front zip makes it comfortable on a bike.",
                    "The fill is responsibly sourced and certified.",
                    "The cut leaves room for a jumper underneath.",
                    "Deep hand-warmer pockets are lined with soft fleece.",
                ),
            ),
            CategorySpec(
                "knitwear",
                "Knitwear",
                ("Crew-Neck Jumper", "Cardigan", "Roll-Neck Jumper", "Beanie", "Scarf", "Knitted Socks"),
                {
                    "yarn": ("Merino Wool", "Lambswool", "Organic Cotton", "Cashmere Blend", "Alpaca Blend"),
                    "colour": ("Oatmeal", "Bottle Green", "Navy", "Burgundy", "Grey Marl"),
                },
                "{yarn} {noun}, {colour}",
                (19, 189),
                "layering through autumn and winter",
                (
                    "The yarn is soft enough to wear next to the skin.",
                    "Ribbed cuffs and hem keep their shape wash after wash.",
                    "Wash it cold on a wool cycle and dry it flat.",
                    "It is knitted in a small mill in Portugal.",
                ),
            ),
            CategorySpec(
                "tops",
                "T-Shirts & Tops",
                ("T-Shirt", "Long-Sleeve Top", "Polo Shirt", "Linen Shirt", "Sweatshirt", "Hoodie"),
                {
                    "colour": ("White", "Black", "Heather Grey", "Sky Blue", "Sage", "Mustard"),
                    "size": ("XS", "S", "M", "L", "XL", "XXL"),
                },
                "Organic {noun}, {colour}, size {size}",
                (14, 89),
                "everyday wear that keeps its shape",
                (
                    "The heavyweight cotton holds its shape and softens with every wash.",
                    "It is cut slightly longer in the back.",
                    "Side seams keep it from twisting after washing.",
                    "The cotton is organic and the dyes are free from azo compounds.",
                ),
            ),
        ),
    ),
    DepartmentSpec(
        "shoes",
        "SHO",
        "Shoes",
        ("Cobbleway", "Stepstone", "Fleetfoot", "Marlowe Footwear"),
        (
            CategorySpec(
                "sneakers",
                "Sneakers",
                ("Canvas Sneaker", "Leather Trainer", "Running Shoe", "Slip-On", "High-Top Sneaker"),
                {
                    "colour": ("White", "Black", "Navy", "Grey", "Off-White"),
                    "size": ("EU 37", "EU 38", "EU 39", "EU 40", "EU 41", "EU 42", "EU 43", "EU 44", "EU 45"),
                },
                "{noun}, {colour}, {size}",
                (39, 169),
                "walking all day in comfort",
                (
                    "A cushioned insole takes the edge off long days on city pavements.",
                    "The natural rubber sole is stitched, not just glued, so it lasts.",
                    "They fit true to size; if you are between sizes, choose the larger.",
                    "The upper is made from leather tanned without chrome.",
                ),
            ),
            CategorySpec(
                "boots",
                "Boots",
                ("Chelsea Boot", "Hiking Boot", "Lace-Up Boot", "Wellington Boot", "Winter Boot"),
                {
                    "colour": ("Dark Brown", "Black", "Tan", "Olive"),
                    "size": ("EU 37", "EU 38", "EU 39", "EU 40", "EU 41", "EU 42", "EU 43", "EU 44", "EU 45", "EU 46"),
                },
                "{noun}, {colour}, {size}",
                (59, 279),
                "wet pavements, muddy paths and cold days",
                (
                    "A waterproof membrane keeps feet dry in puddles.",
                    "The lugged sole grips on wet rock and leaves.",
                    "A Goodyear welt means the boot can be resoled.",
                    "Wear them in over a few days and they mould to your feet.",
                ),
            ),
            CategorySpec(
                "sandals",
                "Sandals & Slippers",
                ("Slide Sandal", "Walking Sandal", "Espadrille", "Sheepskin Slipper", "Flip-Flop"),
                {
                    "colour": ("Natural", "Black", "Tan", "Navy"),
                    "size": ("EU 36", "EU 37", "EU 38", "EU 39", "EU 40", "EU 41", "EU 42", "EU 43", "EU 44"),
                },
                "{noun}, {colour}, {size}",
                (14, 119),
                "warm days and slow mornings at home",
                (
                    "The cork footbed shapes itself to your foot over time.",
                    "Adjustable straps fit both narrow and wide feet.",
                    "The sole is soft enough for indoors and tough enough for the garden.",
                    "It is lined with real sheepskin that keeps feet warm and dry.",
                ),
            ),
        ),
    ),
    DepartmentSpec(
        "beauty",
        "BEA",
        "Beauty & Care",
        ("Clearwater Botanics", "Fennel & Fig", "Dewmoor", "Aster Lab"),
        (
            CategorySpec(
                "skincare",
                "Skincare",
                ("Face Cream", "Cleansing Balm", "Vitamin C Serum", "Sun Cream SPF 50", "Lip Balm", "Eye Cream"),
                {
                    "skin": ("for all skin types", "for dry skin", "for sensitive skin", "for oily skin"),
                    "size": ("15 ml", "30 ml", "50 ml", "100 ml"),
                },
                "{noun} {skin}, {size}",
                (7, 69),
                "a simple, gentle skincare routine",
                (
                    "It is fragrance-free and dermatologically tested on sensitive skin.",
                    "It absorbs quickly and leaves no greasy film.",
                    "The formula is vegan and never tested on animals.",
                    "The airless pump keeps the formula fresh to the last drop.",
                ),
            ),
            CategorySpec(
                "hair-care",
                "Hair Care",
                ("Shampoo Bar", "Conditioner", "Hair Oil", "Wide-Tooth Comb", "Hair Mask", "Bamboo Hairbrush"),
                {
                    "hair": ("for curly hair", "for fine hair", "for all hair types", "for coloured hair"),
                    "size": ("75 g", "100 ml", "250 ml", "one size"),
                },
                "{noun} {hair}, {size}",
                (6, 49),
                "healthy hair without harsh ingredients",
                (
                    "It is free of sulphates and silicones.",
                    "One bar lasts as long as two bottles of liquid shampoo.",
                    "Argan and jojoba oils tame frizz without weighing hair down.",
                    "It arrives in a compostable carton.",
                ),
            ),
            CategorySpec(
                "bath",
                "Bath & Body",
                ("Body Wash", "Bath Salts", "Hand Cream", "Body Lotion", "Soap Bar Trio", "Bath Towel Set"),
                {
                    "scent": ("Cedar & Sage", "Neroli", "Sea Salt", "Fig Leaf", "Unscented"),
                    "size": ("100 ml", "250 ml", "500 ml", "3 pieces"),
                },
                "{noun}, {scent}, {size}",
                (5, 59),
                "unwinding at the end of the day",
                (
                    "Essential oils give it a natural scent that lingers softly.",
                    "Shea butter and glycerin leave skin soft, not sticky.",
                    "The bottle is made from recycled plastic and can be refilled.",
                    "It is gentle enough for daily use.",
                ),
            ),
        ),
    ),
    DepartmentSpec(
        "toys",
        "TOY",
        "Toys & Games",
        ("Little Oak", "Puzzlewick", "Brightbox", "Tumbleweed Games"),
        (
            CategorySpec(
                "board-games",
                "Board Games",
                ("Strategy Game", "Family Card Game", "Cooperative Adventure Game", "Word Game", "Dice Game"),
                {
                    "players": ("2 players", "2-4 players", "2-6 players", "3-8 players"),
                    "age": ("age 6+", "age 8+", "age 10+", "age 14+"),
                },
                "{noun}, {players}, {age}",
                (12, 69),
                "game nights with family and friends",
                (
                    "A round takes about 30 minutes, so there is always time for one more.",
                    "The rules fit on a single page and the first game teaches itself.",
                    "Everyone plays together against the game, so nobody is left out.",
                    "The components are made from thick board and wood, not plastic.",
                ),
            ),
            CategorySpec(
                "puzzles",
                "Puzzles",
                ("Jigsaw Puzzle", "Wooden Brain Teaser", "3D Puzzle", "Floor Puzzle"),
                {
                    "pieces": ("24 pieces", "100 pieces", "500 pieces", "1000 pieces", "2000 pieces"),
                    "theme": ("Alpine Lake", "Night Market", "Botanical Garden", "Harbour Town", "Star Map"),
                },
                '{noun} "{theme}", {pieces}',
                (9, 49),
                "quiet afternoons and rainy weekends",
                (
                    "Every piece is cut to a unique shape, so there are no near-misses.",
                    "The illustration was painted especially for this puzzle.",
                    "A poster of the finished picture comes in the box.",
                    "The board is made from recycled card with a linen-textured finish.",
                ),
            ),
            CategorySpec(
                "building",
                "Building & Craft",
                ("Wooden Block Set", "Marble Run", "Magnetic Tiles", "Craft Kit", "Model Kit", "Stacking Rainbow"),
                {
                    "pieces": ("30 pieces", "60 pieces", "100 pieces", "150 pieces"),
                    "age": ("age 1+", "age 3+", "age 5+", "age 8+"),
                },
                "{noun}, {pieces}, {age}",
                (14, 119),
                "building, making and imaginative play",
                (
                    "The wood comes from sustainably managed forests and is finished with water-based paint.",
                    "Pieces are large enough to be safe for small hands.",
                    "It comes in a sturdy box that doubles as storage.",
                    "Open-ended pieces mean there is no wrong way to play.",
                ),
            ),
        ),
    ),
    DepartmentSpec(
        "stationery",
        "STA",
        "Books & Stationery",
        ("Paperhouse", "Quillstone", "Ledger & Line", "Marginalia"),
        (
            CategorySpec(
                "notebooks",
                "Notebooks",
                ("Hardback Notebook", "Softcover Journal", "Sketchbook", "Pocket Notebook", "Bullet Journal"),
                {"ruling": ("dot grid", "lined", "plain", "squared"), "size": ("A4", "A5", "A6", "B5")},
                "{noun}, {size}, {ruling}",
                (5, 39),
                "writing, sketching and planning",
                (
                    "The 100 gsm paper takes fountain pen ink without bleeding through.",
                    "It lies flat when open, thanks to the sewn binding.",
                    "Numbered pages and an index make notes easy to find again.",
                    "An elastic closure and ribbon marker keep your place.",
                ),
            ),
            CategorySpec(
                "pens",
                "Pens & Pencils",
                (
                    "Fountain Pen",
                    "Gel Pen Set",
                    "Mechanical Pencil",
                    "Fineliner Set",
                    "Brush Pen Set",
                    "Rollerball Pen",
                ),
                {
                    "colour": ("Black", "Blue", "Assorted", "Forest Green", "Burgundy"),
                    "tip": ("0.3 mm", "0.5 mm", "0.7 mm", "fine nib", "medium nib"),
                },
                "{noun}, {colour}, {tip}",
                (3, 89),
                "everyday writing and drawing",
                (
                    "The ink dries fast, so left-handed writers will not smudge.",
                    "It takes standard international cartridges or a converter.",
                    "An aluminium barrel gives it a balanced weight in the hand.",
                    "The pigment ink is archival and water-resistant once dry.",
                ),
            ),
            CategorySpec(
                "planners",
                "Planners & Calendars",
                ("Weekly Planner", "Wall Calendar", "Desk Planner", "Habit Tracker", "Meal Planner Pad"),
                {"edition": ("undated", "dated 2027", "academic year"), "size": ("A4", "A5", "pocket")},
                "{noun}, {edition}, {size}",
                (6, 34),
                "keeping the week and the year on track",
                (
                    "Each week sits across two pages with room for notes.",
                    "Undated pages mean you can start any time of year.",
                    "Monthly overviews and goal pages help with planning ahead.",
                    "It is printed on FSC-certified paper.",
                ),
            ),
        ),
    ),
)

OPENINGS: tuple[str, ...] = (
    "Made for {purpose}, this {noun} from {brand} is one we keep coming back to.",
    "The {brand} {noun} is designed for {purpose}.",
    "A {noun} for {purpose}, made the way {brand} makes everything: simply and to last.",
    "We chose this {noun} from {brand} for {purpose}.",
    "Our buyers tested a dozen of these; this {noun} from {brand} was the one for {purpose}.",
)

CLOSINGS: tuple[str, ...] = (
    "Backed by our two-year guarantee.",
    "Free returns within 30 days if it is not right for you.",
    "Designed by {brand} and tested in everyday use.",
    "Ships within one working day from our warehouse.",
    "Made to be repaired rather than replaced.",
)
