#include "feeds/feed_adapter.h"

#include <gtest/gtest.h>

namespace signpost::sync {
namespace {

TEST(FeedAdapterTest, EveryKnownKindHasAnAdapterOfThatKind) {
  std::vector<std::string> kinds = FeedAdapterKinds();
  EXPECT_EQ(kinds.size(), 8u);
  for (const std::string& kind : kinds) {
    auto adapter = MakeFeedAdapter(kind);
    ASSERT_NE(adapter, nullptr) << kind;
    EXPECT_EQ(adapter->kind(), kind);
  }
}

TEST(FeedAdapterTest, UnknownKindGivesNull) { EXPECT_EQ(MakeFeedAdapter("rss"), nullptr); }

}  // namespace
}  // namespace signpost::sync
