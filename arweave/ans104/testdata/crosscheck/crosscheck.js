// Cross-checks the suite's ANS-104 items with arbundles, the JavaScript
// implementation AO clients and bundlers run. Every command prints one JSON
// object on stdout; the Go test (crosscheck_test.go) reads it.
//
//   node crosscheck.js verify ITEM          -> {valid, id, signatureType, owner, target, anchor, tags, data}
//   node crosscheck.js sign JWK SPEC OUT    -> writes the item SPEC describes, signed with JWK, to OUT; {id}
//   node crosscheck.js deephash SPEC        -> {hash}: the deep hash of SPEC's chunks
//   node crosscheck.js owner JWK            -> {owner}: the owner bytes arbundles signs with
//   node crosscheck.js batch FILE           -> [result, ...]: runs each argument list in FILE (a JSON
//                                              array of arrays) in one process; a failed one is {error}
//
// Byte strings travel as base64 (standard alphabet) in the JSON, tag names
// and values too.
"use strict";
const fs = require("fs");
const { DataItem, createData, ArweaveSigner, deepHash } = require("arbundles");

const b64 = (buf) => Buffer.from(buf).toString("base64");
const unb64 = (s) => Buffer.from(s, "base64");

// chunk turns {"blob": base64} / {"list": [...]} into deepHash's input.
function chunk(c) {
  if (c.list !== undefined) return c.list.map(chunk);
  return new Uint8Array(unb64(c.blob));
}

async function main(argv) {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case "verify": {
      const buf = fs.readFileSync(args[0]);
      const valid = await DataItem.verify(buf);
      const item = new DataItem(buf);
      return {
        valid,
        id: item.id,
        signatureType: item.signatureType,
        owner: b64(item.rawOwner),
        target: b64(item.rawTarget),
        anchor: b64(item.rawAnchor),
        tags: deserialize(item),
        data: b64(item.rawData),
      };
    }
    case "sign": {
      const jwk = JSON.parse(fs.readFileSync(args[0], "utf8"));
      const spec = JSON.parse(fs.readFileSync(args[1], "utf8"));
      const signer = new ArweaveSigner(jwk);
      const opts = { tags: spec.tags };
      if (spec.target) opts.target = unb64(spec.target).toString("base64url");
      if (spec.anchor) opts.anchor = spec.anchor; // arbundles takes the anchor as 32 characters of text
      const item = createData(unb64(spec.data || ""), signer, opts);
      await item.sign(signer);
      fs.writeFileSync(args[2], item.getRaw());
      return { id: item.id };
    }
    case "deephash": {
      const spec = JSON.parse(fs.readFileSync(args[0], "utf8"));
      return { hash: Buffer.from(await deepHash(chunk(spec))).toString("hex") };
    }
    case "owner": {
      const jwk = JSON.parse(fs.readFileSync(args[0], "utf8"));
      return { owner: b64(new ArweaveSigner(jwk).publicKey) };
    }
    case "batch": {
      const out = [];
      for (const argv of JSON.parse(fs.readFileSync(args[0], "utf8"))) {
        try {
          out.push(await main(argv));
        } catch (err) {
          out.push({ error: String((err && err.message) || err) });
        }
      }
      return out;
    }
    default:
      throw new Error(`unknown command ${cmd}`);
  }
}

// deserialize returns the tags arbundles read. Its reader decodes them as
// UTF-8 text, so the cross-checked items use valid UTF-8 tags only.
function deserialize(item) {
  return item.tags.map((t) => ({ name: Buffer.from(t.name).toString("base64"), value: Buffer.from(t.value).toString("base64") }));
}

main(process.argv.slice(2)).then(
  (out) => process.stdout.write(JSON.stringify(out) + "\n"),
  (err) => {
    process.stderr.write(String((err && err.stack) || err) + "\n");
    process.exit(1);
  },
);
