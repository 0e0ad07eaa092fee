//===- hcc-pack.cpp - Packs files into a bundle (test tool) --------------===//
//
// hcc-pack -m manifest.json [-c TARGET=code.so]... [-w weights.bin] -o out.hccb
// The weights file is one blob; the manifest's weight_offsets index into it.
//
//===----------------------------------------------------------------------===//

#include "hcc/runtime/bundle_writer.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>

static bool readFile(const std::string &path, std::vector<uint8_t> &out) {
  // stat first: a FIFO would block the open, /dev/zero never end.
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fprintf(stderr, "hcc-pack: cannot read '%s': not a regular file\n",
                 path.c_str());
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "hcc-pack: cannot read '%s'\n", path.c_str());
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), {});
  return true;
}

int main(int argc, char **argv) {
  hcc::bundle::Writer writer;
  std::string output;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    std::vector<uint8_t> bytes;
    if (flag == "-o") {
      output = value;
      continue;
    }
    std::string path = value, target;
    if (flag == "-c") {
      size_t eq = value.find('=');
      if (eq == std::string::npos) {
        std::fprintf(stderr, "hcc-pack: -c wants TARGET=FILE\n");
        return 1;
      }
      target = value.substr(0, eq);
      path = value.substr(eq + 1);
    }
    if (!readFile(path, bytes))
      return 1;
    if (flag == "-m")
      writer.addManifest(std::string(bytes.begin(), bytes.end()));
    else if (flag == "-c")
      writer.addCode(target, std::move(bytes));
    else if (flag == "-w")
      writer.addWeight(bytes.data(), bytes.size());
    else {
      std::fprintf(stderr, "hcc-pack: unknown option '%s'\n", flag.c_str());
      return 1;
    }
  }
  if (output.empty()) {
    std::fprintf(stderr, "usage: hcc-pack -m manifest.json [-c TARGET=FILE]... "
                         "[-w weights.bin] -o out.hccb\n");
    return 1;
  }
  std::string error;
  if (!writer.write(output, &error)) {
    std::fprintf(stderr, "hcc-pack: %s\n", error.c_str());
    return 1;
  }
  return 0;
}
