// ZIP members read as streams with limits (feeds/zip_reader.h): damage and
// zip bombs are errors, never data.
#include "feeds/zip_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

namespace signpost::sync::feeds {
namespace {

void Put16(std::string& s, unsigned v) {
  s.push_back(static_cast<char>(v & 0xFF));
  s.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void Put32(std::string& s, unsigned long v) {
  Put16(s, static_cast<unsigned>(v & 0xFFFF));
  Put16(s, static_cast<unsigned>((v >> 16) & 0xFFFF));
}

std::string RawDeflate(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct Member {
  std::string name;
  std::string data;
  bool deflate = true;
  long crc_xor = 0;      // damage the stored CRC-32
  long claim_size = -1;  // the uncompressed size the directory claims (-1 = true size)
};

// A ZIP archive (local headers, data, central directory, end record).
std::string MakeZip(const std::vector<Member>& members) {
  std::string out, central;
  for (const Member& m : members) {
    const std::string packed = m.deflate ? RawDeflate(m.data) : m.data;
    const unsigned long crc =
        crc32_z(0, reinterpret_cast<const Bytef*>(m.data.data()), m.data.size()) ^
        static_cast<unsigned long>(m.crc_xor);
    const unsigned long size =
        m.claim_size >= 0 ? static_cast<unsigned long>(m.claim_size) : m.data.size();
    const unsigned long offset = out.size();
    Put32(out, 0x04034b50);
    Put16(out, 20);
    Put16(out, 0);
    Put16(out, m.deflate ? 8 : 0);
    Put32(out, 0);
    Put32(out, crc);
    Put32(out, packed.size());
    Put32(out, size);
    Put16(out, static_cast<unsigned>(m.name.size()));
    Put16(out, 0);
    out += m.name + packed;
    Put32(central, 0x02014b50);
    Put16(central, 20);
    Put16(central, 20);
    Put16(central, 0);
    Put16(central, m.deflate ? 8 : 0);
    Put32(central, 0);
    Put32(central, crc);
    Put32(central, packed.size());
    Put32(central, size);
    Put16(central, static_cast<unsigned>(m.name.size()));
    Put16(central, 0);
    Put16(central, 0);
    Put16(central, 0);
    Put16(central, 0);
    Put32(central, 0);
    Put32(central, offset);
    central += m.name;
  }
  const unsigned long cd_offset = out.size();
  out += central;
  Put32(out, 0x06054b50);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, static_cast<unsigned>(members.size()));
  Put16(out, static_cast<unsigned>(members.size()));
  Put32(out, central.size());
  Put32(out, cd_offset);
  Put16(out, 0);
  return out;
}

std::string ReadAll(const ZipArchive& zip, const std::string& name, Status* status) {
  const ZipEntry* e = zip.FindByBaseName(name);
  EXPECT_NE(e, nullptr) << name;
  if (!e) return {};
  std::unique_ptr<ZipMemberStream> in = zip.Read(*e);
  std::string out;
  char buf[4096];
  while (in->read(buf, sizeof buf) || in->gcount() > 0) out.append(buf, in->gcount());
  *status = in->Finish();
  return out;
}

TEST(ZipReaderTest, StoredAndDeflatedMembersReadBackWhole) {
  std::string big;
  for (int i = 0; i < 50000; ++i) big += "10000055,FDA-BMP,01," + std::to_string(i) + "\r\n";
  const std::string bytes =
      MakeZip({{"data/KISCOURSE.csv", big}, {"KISAIM.csv", "KISAIMCODE,KISAIMLABEL\n", false}});
  std::string error;
  auto zip = ZipArchive::Open(Payload::Borrow(bytes), &error);
  ASSERT_TRUE(zip.has_value()) << error;
  EXPECT_TRUE(ZipArchive::LooksLikeZip(Payload::Borrow(bytes)));
  Status s;
  EXPECT_EQ(ReadAll(*zip, "kiscourse.CSV", &s), big);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ReadAll(*zip, "KISAIM.csv", &s), "KISAIMCODE,KISAIMLABEL\n");
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(zip->FindByBaseName("NSS.csv"), nullptr);
}

TEST(ZipReaderTest, AMemberWithABadCrcIsAFailedDownload) {
  const std::string bytes = MakeZip({{"KISCOURSE.csv", std::string(100000, 'x'), true, 0x1}});
  std::string error;
  auto zip = ZipArchive::Open(Payload::Borrow(bytes), &error);
  ASSERT_TRUE(zip.has_value());
  Status s;
  ReadAll(*zip, "KISCOURSE.csv", &s);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("CRC-32 mismatch"), std::string::npos) << s.message();
}

TEST(ZipReaderTest, AnArchiveCutShortIsRefused) {
  const std::string bytes = MakeZip({{"KISCOURSE.csv", std::string(100000, 'y')}});
  std::string error;
  EXPECT_FALSE(ZipArchive::Open(Payload::Borrow(std::string_view(bytes).substr(0, 60)), &error));
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
  // Directory intact, data damaged in the middle.
  std::string damaged = bytes;
  damaged[60] ^= 0x7F;  // past the 30-byte local header and the name
  auto zip = ZipArchive::Open(Payload::Borrow(damaged), &error);
  ASSERT_TRUE(zip.has_value());
  Status s;
  ReadAll(*zip, "KISCOURSE.csv", &s);
  EXPECT_FALSE(s.ok());
}

TEST(ZipReaderTest, AZipBombStopsAtTheRatioLimitNotAtAGigabyte) {
  // 64 MB of zeros deflates to about 64 KB: a ratio of about 1000.
  const std::string bytes = MakeZip({{"KISCOURSE.csv", std::string(64 << 20, '\0')}});
  ASSERT_LT(bytes.size(), 200000u);
  std::string error;
  auto zip = ZipArchive::Open(Payload::Borrow(bytes), &error);
  ASSERT_TRUE(zip.has_value());
  Status s;
  const std::string got = ReadAll(*zip, "KISCOURSE.csv", &s);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("expands more than 100 times"), std::string::npos) << s.message();
  EXPECT_LT(got.size(), 16u << 20);
}

TEST(ZipReaderTest, TheArchiveTotalAndAMembersClaimedSizeAreLimits) {
  ZipLimits limits;
  limits.max_total_bytes = 150000;
  limits.max_ratio = 10000;
  const std::string bytes =
      MakeZip({{"A.csv", std::string(100000, 'a')}, {"B.csv", std::string(100000, 'b')}});
  std::string error;
  auto zip = ZipArchive::Open(Payload::Borrow(bytes), &error, limits);
  ASSERT_TRUE(zip.has_value());
  Status s;
  ReadAll(*zip, "A.csv", &s);
  EXPECT_TRUE(s.ok());
  ReadAll(*zip, "B.csv", &s);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("in all"), std::string::npos) << s.message();
  // A member that inflates to more than its directory entry says.
  const std::string liar = MakeZip({{"C.csv", std::string(5000, 'c'), true, 0, 100}});
  zip = ZipArchive::Open(Payload::Borrow(liar), &error);
  ASSERT_TRUE(zip.has_value());
  ReadAll(*zip, "C.csv", &s);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("more than the 100 bytes"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace signpost::sync::feeds
