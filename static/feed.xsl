<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows the podcast feed as a page when someone opens it in a browser.
     Podcast apps ignore the xml-stylesheet instruction and read the XML. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:podcast="https://podcastindex.org/namespace/1.0"
    xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" version="5.0" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/">
    <html lang="{/rss/channel/language}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="/rss/channel/title"/> (podcast feed)</title>
        <!-- A file, not an inline <style>: the Content-Security-Policy allows only our own. -->
        <link rel="stylesheet" href="/static/css/feed.css"/>
      </head>
      <body>
        <xsl:apply-templates select="rss/channel"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="channel">
    <header>
      <xsl:if test="itunes:image/@href">
        <img src="{itunes:image/@href}" alt=""/>
      </xsl:if>
      <div>
        <h1><xsl:value-of select="title"/></h1>
        <p class="meta"><xsl:value-of select="itunes:author"/></p>
        <p><xsl:value-of select="description"/></p>
        <p><a href="{link}">Visit the website</a></p>
      </div>
    </header>
    <div class="notice">
      <strong>This is a podcast feed.</strong>
      Copy its address into your podcast app to subscribe:
      <code><xsl:value-of select="atom:link[@rel='self']/@href"/></code>
    </div>
    <xsl:apply-templates select="item"/>
  </xsl:template>

  <xsl:template match="item">
    <article>
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <p class="meta">
        <xsl:if test="itunes:episode">Episode <xsl:value-of select="itunes:episode"/> · </xsl:if>
        <xsl:value-of select="substring(pubDate, 6, 11)"/>
        <xsl:if test="itunes:duration">
          · <xsl:value-of select="floor(itunes:duration div 60)"/> min
        </xsl:if>
      </p>
      <!-- The description is sanitized HTML (p, ol, ul, li, a) written by our generator. -->
      <div><xsl:value-of select="description" disable-output-escaping="yes"/></div>
      <audio controls="controls" preload="none" src="{enclosure/@url}"/>
    </article>
  </xsl:template>
</xsl:stylesheet>
