"""The pages that show articles with their annotations: the article list (listing.py), the
reading page (reading.py), compare (compare.py) and search (the annotations/search/
package), their views (views.py) and the one cache module (cache.py). Each view asks its
page's selector for everything it shows; the articles app never imports from here."""
