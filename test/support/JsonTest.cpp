#include "support/Json.h"

#include <gtest/gtest.h>

using namespace edgec;

TEST(JsonTest, KeysSortedAndStringsEscaped) {
  Json j = Json::object();
  j["zeta"] = 1;
  j["alpha"] = "a\"b\n\x01";
  Json arr = Json::array();
  arr.push(nullptr);
  arr.push(true);
  arr.push(0.5);
  j["mid"] = arr;
  EXPECT_EQ(j.dump(), "{\n  \"alpha\": \"a\\\"b\\n\\u0001\",\n  \"mid\": [\n"
                      "    null,\n    true,\n    0.5\n  ],\n  \"zeta\": 1\n}\n");
}

TEST(JsonTest, NonFiniteNumbersBecomeNull) {
  Json j = Json::array();
  j.push(1.0 / 0.0);
  EXPECT_EQ(j.dump(), "[\n  null\n]\n");
}
