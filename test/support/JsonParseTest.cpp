#include "support/Json.h"

#include <gtest/gtest.h>

using namespace edgec;

TEST(JsonParseTest, RoundTripsDump) {
  Json j = Json::object();
  j["name"] = "a\"b\\c\n\x01";
  j["int"] = (int64_t)-9007199254740993;
  j["real"] = 0.25;
  Json arr = Json::array();
  arr.push(nullptr);
  arr.push(true);
  arr.push(false);
  arr.push(Json::object());
  arr.push(Json::array());
  j["list"] = arr;
  Expected<Json> back = Json::parse(j.dump());
  ASSERT_TRUE(back.isOk()) << back.error().message();
  EXPECT_EQ(back->dump(), j.dump());
  EXPECT_TRUE(back->find("int")->isInt());
  EXPECT_EQ(back->find("int")->asInt(), -9007199254740993LL);
  EXPECT_DOUBLE_EQ(back->find("real")->asDouble(), 0.25);
  EXPECT_EQ(back->find("name")->asString(), "a\"b\\c\n\x01");
  EXPECT_EQ(back->find("list")->elements().size(), 5u);
}

TEST(JsonParseTest, NumbersEscapesAndUnicode) {
  Expected<Json> j = Json::parse(R"( [1e3, -0.5, 12345678901234567890, "\u00e9\ud83d\ude00\/"] )");
  ASSERT_TRUE(j.isOk()) << j.error().message();
  const Json::Array &a = j->elements();
  ASSERT_EQ(a.size(), 4u);
  EXPECT_FALSE(a[0].isInt());
  EXPECT_DOUBLE_EQ(a[0].asDouble(), 1000.0);
  EXPECT_DOUBLE_EQ(a[1].asDouble(), -0.5);
  EXPECT_FALSE(a[2].isInt()); // beyond int64: a double
  EXPECT_EQ(a[3].asString(), "\xc3\xa9\xf0\x9f\x98\x80/");
}

TEST(JsonParseTest, ErrorsNameLineAndColumn) {
  const char *bad[] = {"",        "{",          "[1,]",     "{\"a\" 1}", "01",
                       "1.",      "-",          "\"abc",    "tru",       "[1] 2",
                       "\"\\x\"", "\"\\ud800\"", "{1: 2}",  "\"a\nb\""};
  for (const char *t : bad) {
    Expected<Json> j = Json::parse(t);
    ASSERT_FALSE(j.isOk()) << "accepted: " << t;
    EXPECT_EQ(j.error().code(), ErrorCode::InvalidInput);
    EXPECT_NE(j.error().message().find("JSON line "), std::string::npos);
  }
  Expected<Json> j = Json::parse("{\n  \"a\": ?\n}");
  ASSERT_FALSE(j.isOk());
  EXPECT_NE(j.error().message().find("line 2 column 8"), std::string::npos)
      << j.error().message();
}

TEST(JsonParseTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '[');
  Expected<Json> j = Json::parse(deep);
  ASSERT_FALSE(j.isOk());
  EXPECT_NE(j.error().message().find("nesting"), std::string::npos);
  std::string ok = std::string(200, '[') + std::string(200, ']');
  EXPECT_TRUE(Json::parse(ok).isOk());
}
