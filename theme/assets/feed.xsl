<?xml version="1.0" encoding="UTF-8"?>
<!-- What a browser shows for one of the site's RSS or Atom feeds: what a feed is, the
     address to give a feed reader, and the feed's stories. Feed readers never apply it. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat"/>

  <xsl:variable name="channel" select="/rss/channel | /atom:feed"/>
  <xsl:variable name="title" select="$channel/title | $channel/atom:title"/>
  <xsl:variable name="address"
    select="$channel/atom:link[@rel='self']/@href"/>
  <xsl:variable name="page"
    select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>

  <xsl:template match="/">
    <html lang="{/rss/channel/language | /atom:feed/@xml:lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="$title"/> · web feed</title>
        <style>
          :root { color-scheme: light dark; --accent: #4051b5; --muted: #5f6368; }
          @media (prefers-color-scheme: dark) {
            :root { --accent: #a5b4fc; --muted: #a8adb4; }
          }
          body { font: 1rem/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 46rem;
                 padding: 1rem 1.25rem 3rem; }
          a { color: var(--accent); }
          .about { border: 2px solid var(--accent); border-radius: .5rem; padding: .25rem 1rem; }
          .address { display: block; overflow-wrap: anywhere; padding: .5rem .75rem;
                     border: 1px solid var(--muted); border-radius: .25rem;
                     font: .95rem ui-monospace, monospace; user-select: all; }
          h1 { font-size: 1.6rem; line-height: 1.25; margin: 2rem 0 .25rem; }
          ol { list-style: none; padding: 0; }
          li { padding: .6rem 0; border-bottom: 1px solid color-mix(in srgb, var(--muted) 30%, transparent); }
          li a { font-weight: 600; text-decoration: none; }
          li a:hover, li a:focus-visible { text-decoration: underline; }
          .meta { display: block; color: var(--muted); font-size: .875rem; }
        </style>
      </head>
      <body>
        <main>
          <section class="about" aria-labelledby="about">
            <h2 id="about">This is a web feed</h2>
            <p>A feed reader (an app such as NetNewsWire, Thunderbird or newsboat, or a web
              service such as Feedly or Inoreader) fetches this file to bring you new stories
              as they are published: no account here, no e-mail, nothing tracked.</p>
            <p>To follow <strong><xsl:value-of select="$title"/></strong>, copy this address
              into your feed reader:</p>
            <p><code class="address"><xsl:value-of select="$address"/></code></p>
          </section>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="$channel/description | $channel/atom:subtitle"/></p>
          <p><a href="{$page}">Read these stories on the site →</a></p>
          <ol>
            <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <a href="{guid}"><xsl:value-of select="title"/></a>
      <span class="meta">
        <xsl:if test="dc:creator"><xsl:value-of select="dc:creator"/> · </xsl:if>
        <xsl:value-of select="substring(pubDate, 1, 16)"/>
      </span>
    </li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <a href="{atom:id}"><xsl:value-of select="atom:title"/></a>
      <span class="meta">
        <xsl:if test="atom:author"><xsl:value-of select="atom:author/atom:name"/> · </xsl:if>
        <xsl:value-of select="substring(atom:published, 1, 10)"/>
      </span>
    </li>
  </xsl:template>
</xsl:stylesheet>
