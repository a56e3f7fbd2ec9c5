"""Word lists the simulator composes text, names, bios and URLs from (built in: no data at run time).

Every list is a tuple of plain ASCII strings without quotes, backslashes or commas, so that any
field built from them is safe in CSV and JSON without escaping surprises.
"""

from __future__ import annotations

# Common English words, roughly in frequency order: the simulator draws them with Zipf weights,
# so the order matters (earlier = more frequent).
WORDS = tuple(["the", "to", "and", "a", "of", "is", "in", "it", "you", "that", "i", "for", "this", "on", "my", "with", "be", "have", "just", "not", "are", "so", "but", "was", "at", "all", "what", "like", "we", "can", "about", "they", "your", "if", "do", "get", "me", "one", "out", "up", "now", "people", "more", "no", "will", "its", "time", "how", "today", "good", "really", "know", "who", "think", "new", "from", "there", "day", "when", "been", "see", "going", "much", "great", "would", "them", "should", "love", "right", "want", "here", "why", "need", "back", "still", "over", "make", "after", "year", "never", "only", "first", "also", "some", "even", "our", "than", "best", "thing", "things", "every", "world", "last", "take", "life", "work", "those", "week", "could", "news", "long", "look", "really", "always", "many", "because", "better", "around", "again", "well", "where", "big", "doing", "made", "said", "real", "lot", "most", "feel", "happy", "team", "night", "home", "game", "sure", "next", "little", "guys", "read", "show", "watch", "maybe", "free", "video", "thank", "thanks", "morning", "weekend", "live", "believe", "getting", "own", "tonight", "hope", "part", "yes", "wow", "top", "hard", "open", "someone", "together", "city", "school", "family", "friends", "music", "story", "book", "photo", "coffee", "weather", "rain", "sun", "summer", "winter", "spring", "season", "local", "market", "price", "prices", "food", "dinner", "lunch", "breakfast", "game", "match", "goal", "win", "lost", "final", "league", "players", "fans", "coach", "movie", "series", "episode", "album", "song", "tour", "concert", "ticket", "tickets", "travel", "trip", "flight", "airport", "train", "road", "traffic", "office", "meeting", "project", "deadline", "email", "phone", "app", "update", "data", "code", "design", "build", "launch", "release", "report", "study", "health", "doctor", "hospital", "care", "kids", "parents", "class", "student", "teacher", "exam", "test", "science", "space", "moon", "earth", "climate", "energy", "power", "water", "garden", "dog", "cat", "walk", "run", "gym", "training", "race", "bike", "park", "beach", "lake", "river", "mountain", "snow", "storm", "heat", "cold", "wind", "early", "late", "soon", "tomorrow", "yesterday", "monday", "friday", "sunday", "finally", "actually", "literally", "honestly", "probably", "definitely", "amazing", "awesome", "beautiful", "funny", "crazy", "weird", "interesting", "important", "interesting", "simple", "easy", "busy", "tired", "excited", "proud", "sorry", "glad", "ready", "nice", "cool", "perfect", "terrible", "awful", "strange", "quiet", "loud", "fresh", "community", "support", "share", "help", "idea", "question", "answer", "problem", "reason", "chance", "choice", "change", "plan", "start", "end", "middle", "moment", "minute", "hour", "month", "history", "future", "past", "fact", "facts", "point", "view", "side", "case", "line"])

# The vocabulary of coordinated messaging: grievance, urgency and calls to act. Campaign slogans
# are drawn mostly from here, mixed with WORDS, so they are distinguishable in aggregate but not
# by a keyword filter.
CAMPAIGN_WORDS = tuple(["truth", "wake", "corrupt", "elites", "lies", "media", "exposed", "shocking", "scandal", "betrayal", "freedom", "rights", "patriots", "citizens", "vote", "election", "fraud", "rigged", "cover", "up", "must", "share", "before", "deleted", "they", "dont", "want", "you", "know", "real", "enemy", "traitors", "globalists", "puppet", "regime", "propaganda", "censorship", "silence", "stand", "together", "fight", "defend", "nation", "borders", "sovereignty", "invasion", "crisis", "collapse", "failed", "leaders", "resign", "now", "outrage", "disgrace", "shameful", "hypocrisy", "agenda", "plan", "secret", "documents", "leaked", "proof", "evidence", "watch", "spread", "everyone", "retweet", "boycott", "protest", "demand", "justice", "accountability"])

REPLY_OPENERS = ("lol", "this", "yes", "no way", "exactly", "agreed", "same", "wait what",
                 "so true", "haha", "honestly", "not sure about that", "100%", "ok but",
                 "thanks for sharing", "wow", "hmm", "facts", "love this", "congrats")
BRIGADE_OPENERS = ("you should be ashamed", "liar", "nobody believes you", "delete this",
                   "resign", "shame on you", "paid shill", "what a disgrace", "fake news",
                   "traitor", "you work for them", "clown", "pathetic")
PROMO_OPENERS = ("Must read", "Read this", "Everyone needs to see this", "Share before it gets deleted",
                 "This is what they hide", "The truth", "Breaking", "Important", "Look at this",
                 "Wake up")
SUFFIXES = ("", "", "", "", "!", "!!", "?", "...", " :)", " lol", " \U0001F602", " \U0001F525",
            " \U0001F64F", " \U0001F440", " \u2764\ufe0f", " \U0001F44D", " smh", " tbh")
CAMPAIGN_SUFFIXES = ("", "!", "!!", "!!!", " \U0001F6A8", " \U0001F621", " \U0001F4E2", " \u203c\ufe0f",
                     " RT!", " share!")

FIRST_NAMES = tuple(["james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "william", "elizabeth", "david", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "charles", "karen", "chris", "nancy", "daniel", "lisa", "matthew", "betty", "anthony", "margaret", "mark", "sandra", "donald", "ashley", "steven", "kim", "paul", "emily", "andrew", "donna", "josh", "michelle", "kenneth", "carol", "kevin", "amanda", "brian", "melissa", "george", "deborah", "tim", "stephanie", "ed", "rebecca", "ron", "sharon", "jason", "laura", "jeff", "cynthia", "ryan", "kathy", "jacob", "amy", "gary", "shirley", "nick", "angela", "eric", "helen", "jonathan", "anna", "stephen", "brenda", "larry", "pamela", "justin", "nicole", "scott", "emma", "brandon", "samantha", "ben", "katherine", "sam", "christine", "greg", "debra", "alex", "rachel", "frank", "carolyn", "ray", "janet", "jack", "maria", "dennis", "olivia", "jerry", "heather", "tyler", "diane", "aaron", "julie", "jose", "joyce", "adam", "victoria", "nathan", "kelly", "henry", "christina", "doug", "lauren", "zach", "joan", "peter", "evelyn", "kyle", "judith", "noah", "megan", "ethan", "andrea", "jeremy", "cheryl", "walter", "hannah", "christian", "jacqueline", "keith", "martha", "roger", "gloria", "terry", "teresa", "austin", "ann", "sean", "sara", "carl", "madison", "arthur", "frances", "lawrence", "kathryn", "dylan", "janice", "jesse", "jean", "jordan", "abigail", "bryan", "alice", "billy", "judy", "joe", "sophia", "bruce", "grace", "gabriel", "denise", "logan", "amber", "albert", "doris", "willie", "marilyn", "alan", "danielle", "juan", "beverly", "wayne", "isabella", "elijah", "theresa", "randy", "diana", "roy", "natalie", "vincent", "brittany", "ralph", "charlotte", "eugene", "marie", "russell", "kayla", "bobby", "alexis", "mason", "lori", "philip", "liam", "ana", "luca", "yuki", "hiro", "mei", "wei", "raj", "priya", "arjun", "fatima", "omar", "ali", "lena", "sven", "ingrid", "pierre", "camille", "hugo", "lucas", "mateo", "sofia", "diego", "carmen", "pablo", "ivan", "olga"])

LAST_NAMES = tuple(["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young", "allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores", "green", "adams", "nelson", "baker", "hall", "rivera", "campbell", "mitchell", "carter", "roberts", "gomez", "phillips", "evans", "turner", "diaz", "parker", "cruz", "edwards", "collins", "reyes", "stewart", "morris", "morales", "murphy", "cook", "rogers", "gutierrez", "ortiz", "morgan", "cooper", "peterson", "bailey", "reed", "kelly", "howard", "ramos", "kim", "cox", "ward", "richardson", "watson", "brooks", "chavez", "wood", "james", "bennett", "gray", "mendoza", "ruiz", "hughes", "price", "alvarez", "castillo", "sanders", "patel", "myers", "long", "ross", "foster", "jimenez", "powell", "jenkins", "perry", "russell", "sullivan", "bell", "coleman", "butler", "henderson", "barnes", "fisher", "vasquez", "simmons", "romero", "jordan", "patterson", "alexander", "hamilton", "graham", "reynolds", "griffin", "wallace", "moreno", "west", "cole", "hayes", "bryant", "herrera", "gibson", "ellis", "tran", "medina", "aguilar", "stevens", "murray", "ford", "castro", "marshall", "owens", "harrison", "fernandez", "mcdonald", "woods", "washington", "kennedy", "wells", "vargas", "henry", "chen", "freeman", "webb", "tucker", "guzman", "burns", "crawford", "olson", "simpson", "porter", "hunter", "gordon", "mendez", "silva", "shaw", "snyder", "mason", "dixon", "munoz", "hunt", "hicks", "holmes", "palmer", "wagner", "black", "robertson", "boyd", "rose", "stone", "salazar", "fox", "warren", "mills", "meyer", "rice", "schmidt", "garza", "daniels", "ferguson", "nichols", "stephens", "soto", "weaver", "ryan", "gardner", "payne", "grant", "dunn", "kelley", "spencer", "hawkins", "arnold", "pierce", "hansen"])

HANDLE_WORDS = tuple(["real", "the", "its", "just", "official", "daily", "only", "not", "mr", "ms", "dr", "big", "little", "lazy", "happy", "sunny", "salty", "spicy", "coffee", "tea", "pizza", "taco", "cat", "dog", "fox", "wolf", "bear", "bird", "owl", "moon", "star", "sky", "sea", "ocean", "river", "forest", "pixel", "byte", "code", "geek", "nerd", "gamer", "runner", "rider", "writer", "reader", "dreamer", "maker", "chef", "artist", "music", "jazz", "rock", "punk", "indie", "retro", "vintage", "urban", "wild", "free", "lost", "cosmic"])

BIO_FRAGMENTS = (
    "coffee addict", "dog mom", "cat dad", "proud parent", "runner", "amateur photographer",
    "software engineer", "nurse", "teacher", "student", "retired", "music lover", "bookworm",
    "foodie", "traveller", "gamer", "sports fan", "opinions my own", "he/him", "she/her",
    "they/them", "living my best life", "husband and father", "wife and mother", "grad student",
    "writer", "designer", "small business owner", "marketing", "data nerd", "hiker",
    "plant parent", "film buff", "news junkie", "podcast host", "volunteer", "veteran",
    "football", "basketball", "baseball", "soccer", "hockey", "tennis", "yoga", "art",
    "science", "history buff", "tea over coffee", "dreamer", "optimist", "introvert",
)
# Bios campaign operators reuse across their personas, verbatim or with one word changed.
CAMPAIGN_BIOS = (
    "Patriot. Husband. Father. Truth seeker.", "Proud citizen. God family country.",
    "Mom of 3. Love my country. No DMs.", "Independent thinker. Wake up people!",
    "Just a regular guy who loves his country", "Retired veteran. Speaking the truth.",
    "Here for the truth. Follow back.", "Freedom first. Media lies.", "Christian. Conservative. Patriot.",
    "Truth will set you free", "Nurse. Mom. Fighter for freedom.", "Small business owner fed up",
    "Student of history. Question everything.", "Love life love family love my nation",
)

# (utc offset in hours, cities) for the zones organic accounts live in; weights below.
ZONES = (
    (-8.0, ("Los Angeles", "Seattle", "San Francisco", "Portland", "Vancouver")),
    (-7.0, ("Denver", "Phoenix", "Salt Lake City", "Calgary")),
    (-6.0, ("Chicago", "Houston", "Dallas", "Mexico City", "Minneapolis")),
    (-5.0, ("New York", "Boston", "Atlanta", "Toronto", "Miami", "Washington DC", "Philadelphia")),
    (-3.0, ("Sao Paulo", "Buenos Aires", "Rio de Janeiro")),
    (0.0, ("London", "Dublin", "Lisbon", "Manchester", "Glasgow")),
    (1.0, ("Berlin", "Paris", "Madrid", "Rome", "Amsterdam", "Lagos", "Vienna", "Stockholm")),
    (2.0, ("Kyiv", "Athens", "Helsinki", "Cairo", "Johannesburg", "Bucharest")),
    (3.0, ("Moscow", "Istanbul", "Nairobi", "Riyadh", "Minsk")),
    (5.5, ("Mumbai", "Delhi", "Bangalore", "Chennai")),
    (8.0, ("Singapore", "Manila", "Perth", "Hong Kong", "Beijing")),
    (9.0, ("Tokyo", "Seoul", "Osaka")),
    (10.0, ("Sydney", "Melbourne", "Brisbane")),
)
ZONE_WEIGHTS = (0.10, 0.04, 0.10, 0.24, 0.04, 0.12, 0.13, 0.04, 0.03, 0.06, 0.04, 0.03, 0.03)
# Where operators sit (utc offset), and the audience locations their personas claim.
OPERATOR_OFFSETS = (3.0, 3.0, 8.0, 3.0, 4.0, 5.0, -5.0, 1.0, 2.0, 3.5)
PERSONA_LOCATIONS = ("USA", "Texas, USA", "Florida", "Ohio, USA", "United States", "Arizona",
                     "Michigan", "New York, USA", "London, England", "Berlin, Germany", "Paris",
                     "God's country", "Earth", "")

# Link domains by kind, most popular first (the simulator draws them with Zipf weights).
NEWS_DOMAINS = ("nytimes.com", "bbc.co.uk", "theguardian.com", "cnn.com", "reuters.com",
                "washingtonpost.com", "apnews.com", "foxnews.com", "npr.org", "aljazeera.com",
                "bloomberg.com", "wsj.com", "nbcnews.com", "politico.com", "dw.com",
                "lemonde.fr", "spiegel.de", "abc.net.au", "cbc.ca", "independent.co.uk")
OTHER_DOMAINS = ("youtube.com", "instagram.com", "reddit.com", "github.com", "medium.com",
                 "en.wikipedia.org", "spotify.com", "imgur.com", "tiktok.com", "substack.com",
                 "amazon.com", "twitch.tv", "etsy.com", "imdb.com", "espn.com", "theverge.com",
                 "arstechnica.com", "nature.com", "goodreads.com", "bandcamp.com")
# Fringe sites the campaigns push: plausible-looking, made-up names (.example is reserved, but
# that would be too easy to filter; these use ordinary TLDs and do not need to resolve).
FRINGE_DOMAINS = ("truthwire-daily.com", "patriotnewsnow.net", "realfacts24.org",
                  "thefreedomherald.com", "globalinsight-news.info", "nationalvoicepost.com",
                  "uncensoredtoday.net", "peoplesreport.org", "frontline-observer.com",
                  "libertybeacon.news", "the-daily-sentinel.net", "open-eyes-media.com",
                  "newsfront-world.info", "citizenpress24.com", "independent-wire.org",
                  "eastwestreview.net")
SECTIONS = ("world", "politics", "business", "tech", "science", "sport", "culture", "opinion",
            "health", "us", "europe", "news")

TOPIC_TAGS = tuple(["MondayMotivation", "ThrowbackThursday", "FridayFeeling", "WeekendVibes", "NowPlaying", "photography", "travel", "music", "football", "NBA", "NFL", "PremierLeague", "F1", "tennis", "gaming", "PS5", "Xbox", "NintendoSwitch", "anime", "movies", "Netflix", "books", "reading", "writing", "amwriting", "art", "design", "tech", "AI", "Python", "javascript", "startup", "science", "space", "NASA", "climate", "ClimateChange", "environment", "health", "fitness", "running", "yoga", "food", "foodie", "coffee", "vegan", "cooking", "recipe", "dogs", "cats", "pets", "nature", "hiking", "garden", "fashion", "beauty", "news", "politics", "economy", "crypto", "bitcoin", "stocks", "investing", "marketing", "SEO", "jobs", "hiring", "education", "teachers", "students", "history", "weather", "rain", "summer", "winter", "love", "life", "family", "friends", "motivation", "inspiration", "quotes", "happy", "fun", "funny", "memes", "photooftheday", "sunset", "beach", "mountains", "cityscape", "concert", "festival"])
CAMPAIGN_TAGS = tuple(["WakeUp", "StopTheLies", "TruthMatters", "DefendOurNation", "MediaLies", "NoMoreLies", "StandTogether", "ExposeThem", "FreedomNow", "TheyLied", "ResignNow", "EnoughIsEnough", "PeopleFirst", "OurCountryFirst", "SayNoToCensorship", "JusticeNow", "SaveOurFuture", "FollowTheMoney", "HiddenAgenda", "RiseUp"])
EVENT_TAGS = ("Breaking", "BreakingNews", "Earthquake", "Election2024", "Storm", "Verdict",
              "Summit", "Blackout", "Eclipse", "WorldCup")

TWITTER_CLIENTS = ("Twitter for iPhone", "Twitter for Android", "Twitter Web App", "TweetDeck",
                   "Twitter for iPad")
TWITTER_CLIENT_WEIGHTS = (0.42, 0.33, 0.19, 0.04, 0.02)
BOT_CLIENTS = ("dlvr.it", "IFTTT", "Buffer", "Hootsuite Inc.", "SocialFlow")
