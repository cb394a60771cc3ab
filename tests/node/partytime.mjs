// Reads a feed on stdin, parses it with podcast-partytime (Podcast Index's parser)
// and prints what it understood as JSON, for tests/episodes/test_feed_parsers.py.
import { readFileSync } from "node:fs";
import { parseFeed } from "podcast-partytime";

const feed = parseFeed(readFileSync(0, "utf8"));
if (feed === null) {
  console.error("partytime could not parse the feed");
  process.exit(1);
}
const items = feed.items.map((item) => ({
  title: item.title,
  guid: item.guid,
  enclosure: item.enclosure,
  duration: item.duration,
  pubDate: item.pubDate,
  transcripts: item.podcastTranscripts ?? [],
  chapters: item.podcastChapters ?? null,
  people: item.podcastPeople ?? [],
  soundbites: item.podcastSoundbites ?? [],
  season: item.podcastSeason ?? null,
  episode: item.podcastEpisode ?? null,
}));
const result = {
  title: feed.title,
  guid: feed.guid,
  locked: feed.locked,
  podcastOwner: feed.podcastOwner,
  funding: feed.podcastFunding ?? [],
  people: feed.podcastPeople ?? [],
  medium: feed.medium,
  categories: feed.categories,
  explicit: feed.explicit,
  itunesNewFeedUrl: feed.itunesNewFeedUrl ?? null,
  pubsub: feed.pubsub ?? null,
  items,
};
process.stdout.write(JSON.stringify(result));
